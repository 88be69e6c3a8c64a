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
 * Case {@code transient-graph}: resolve {@code Root(Mid(Leaf1, Leaf2), Side)}, five new objects three levels deep,
 * by its class. Hand-written is the five {@code new}s; Dagger's generated component does the same inline.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class TransientGraphBenchmark {
    private Container container;
    private Injector injector;
    private TransientComponent dagger;

    /** Builds Vela, Guice and Dagger. */
    @Setup
    public void setup() {
        container = Container.builder().install(b -> b.bind(Model.Root.class)).build();
        injector = Guice.createInjector(binder -> binder.bind(Model.Root.class));
        dagger = DaggerTransientComponent.create();
    }

    /** Closes the Vela container. */
    @TearDown
    public void tearDown() {
        container.close();
    }

    /** @return a new graph */
    @Benchmark
    public Object vela() {
        return container.get(Model.Root.class);
    }

    /** @return a new graph */
    @Benchmark
    public Object handwired() {
        return new Model.Root(new Model.Mid(new Model.Leaf1(), new Model.Leaf2()), new Model.Side());
    }

    /** @return a new graph */
    @Benchmark
    public Object guice() {
        return injector.getInstance(Model.Root.class);
    }

    /** @return a new graph */
    @Benchmark
    public Object dagger() {
        return dagger.root();
    }
}
