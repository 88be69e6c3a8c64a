package io.vela.bench.di;

import java.util.concurrent.TimeUnit;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.vela.di.Container;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Case {@code singleton}: get an already created singleton by its class. Vela {@code container.get(Config.class)},
 * Guice {@code injector.getInstance(Config.class)}, Dagger's generated component method (a {@code DoubleCheck}),
 * hand-written: a final field read.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class SingletonGetBenchmark {
    private Container container;
    private Injector injector;
    private SingletonComponent dagger;
    private Model.Config handwired;

    /** Builds all four and creates the singleton in each. */
    @Setup
    public void setup() {
        container = Container.builder().install(b -> b.bind(Model.Config.class)).build();
        injector = Guice.createInjector(binder -> binder.bind(Model.Config.class));
        dagger = DaggerSingletonComponent.create();
        handwired = new Model.Config();
        container.get(Model.Config.class);
        injector.getInstance(Model.Config.class);
        dagger.config();
    }

    /** Closes the Vela container. */
    @TearDown
    public void tearDown() {
        container.close();
    }

    /** @return the singleton */
    @Benchmark
    public Object vela() {
        return container.get(Model.Config.class);
    }

    /** @return the singleton */
    @Benchmark
    public Object handwired() {
        return handwired;
    }

    /** @return the singleton */
    @Benchmark
    public Object guice() {
        return injector.getInstance(Model.Config.class);
    }

    /** @return the singleton */
    @Benchmark
    public Object dagger() {
        return dagger.config();
    }
}
