package io.vela.bench.di;

import java.util.concurrent.TimeUnit;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import io.vela.di.Container;
import io.vela.di.Lifetime;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Case {@code scoped}: one request's worth of scoped access. Each operation opens a scope, gets the scoped
 * {@code RequestData} twice (the first get creates it, the second finds it) and ends the scope:
 * Vela {@code container.openScope()} / {@code scope.get} / {@code close}; Dagger a new {@code @RequestScope}
 * subcomponent per operation; Guice a simple custom {@link GuiceRequestScope} (thread-local map; enter/exit);
 * hand-written one {@code new} kept in a local.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class ScopedGetBenchmark {
    private Container container;
    private Injector injector;
    private GuiceRequestScope guiceScope;
    private ScopedComponent dagger;
    private Model.Config config;

    /** Builds Vela, Guice and Dagger. */
    @Setup
    public void setup() {
        container = Container.builder()
                .install(b -> b.bind(Model.RequestData.class).in(Lifetime.SCOPED))
                .build();
        guiceScope = new GuiceRequestScope();
        injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bindScope(RequestScope.class, guiceScope);
                bind(Model.RequestData.class);
            }
        });
        dagger = DaggerScopedComponent.create();
        config = new Model.Config();
    }

    /** Closes the Vela container. */
    @TearDown
    public void tearDown() {
        container.close();
    }

    /** @param bh sink */
    @Benchmark
    public void vela(Blackhole bh) {
        try (io.vela.di.Scope scope = container.openScope()) {
            bh.consume(scope.get(Model.RequestData.class));
            bh.consume(scope.get(Model.RequestData.class));
        }
    }

    /** @param bh sink */
    @Benchmark
    public void handwired(Blackhole bh) {
        Model.RequestData data = new Model.RequestData(config);
        bh.consume(data);
        bh.consume(data);
    }

    /** @param bh sink */
    @Benchmark
    public void guice(Blackhole bh) {
        guiceScope.enter();
        try {
            bh.consume(injector.getInstance(Model.RequestData.class));
            bh.consume(injector.getInstance(Model.RequestData.class));
        } finally {
            guiceScope.exit();
        }
    }

    /** @param bh sink */
    @Benchmark
    public void dagger(Blackhole bh) {
        RequestComponent request = dagger.request();
        bh.consume(request.data());
        bh.consume(request.data());
    }
}
