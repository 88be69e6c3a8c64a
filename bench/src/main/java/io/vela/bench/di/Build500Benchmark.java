package io.vela.bench.di;

import java.util.concurrent.TimeUnit;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import io.vela.bench.di.gen.Build500;
import io.vela.bench.di.gen.DaggerBuild500Component;
import io.vela.di.Container;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Case {@code build-500}: build a container of 500 generated classes (each with an {@code @Inject} constructor, about
 * a thousand edges; generated at build time by {@code bench/src/build/java/Build500Generator.java}), all bound
 * explicitly. Vela and Guice validate the whole graph and prepare their factories. Dagger does that work at compile time, so its figure is only
 * creating the generated component instance; hand-written fills a map of 500 factory lambdas. Builds per second.
 * Needs a longer warm-up than the get cases (Guice takes seconds to reach steady speed).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class Build500Benchmark {

    /** @return a built container */
    @Benchmark
    public Object vela() {
        return Container.builder().install(b -> {
            for (Class<?> c : Build500.CLASSES) {
                b.bind(c);
            }
        }).build();
    }

    /** @return a registry of 500 factories */
    @Benchmark
    public Object handwired() {
        return Build500.handwired();
    }

    /** @return a built injector */
    @Benchmark
    public Object guice() {
        return Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                for (Class<?> c : Build500.CLASSES) {
                    bind(c);
                }
            }
        });
    }

    /** @return the component (Dagger did the work at compile time) */
    @Benchmark
    public Object dagger() {
        return DaggerBuild500Component.create();
    }
}
