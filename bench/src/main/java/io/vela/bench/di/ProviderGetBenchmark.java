package io.vela.bench.di;

import java.util.concurrent.TimeUnit;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.vela.di.Container;
import jakarta.inject.Provider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Case {@code provider-get}: {@code get()} on a {@code Provider<T>} obtained once and held, as code on a hot path
 * would hold it, of the singleton ({@code graph=singleton}) or of the transient five-object graph
 * ({@code graph=transient-graph}). Vela {@code container.provider(T.class)}, Guice {@code injector.getProvider},
 * Dagger a component method returning {@code Provider<T>}; hand-written a lambda over the field or the five
 * {@code new}s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class ProviderGetBenchmark {
    /** Which binding the providers resolve. */
    @Param({"singleton", "transient-graph"})
    public String graph;

    private Container container;
    private Provider<?> vela;
    private Provider<?> handwired;
    private com.google.inject.Provider<?> guice;
    private Provider<?> dagger;

    /** Builds the four and takes each one's provider; a first {@code get()} creates the singleton. */
    @Setup
    public void setup() {
        boolean singleton = graph.equals("singleton");
        container = Container.builder().install(b -> {
            b.bind(Model.Config.class);
            b.bind(Model.Root.class);
        }).build();
        Injector injector = Guice.createInjector(binder -> {
            binder.bind(Model.Config.class);
            binder.bind(Model.Root.class);
        });
        ProviderComponent component = DaggerProviderComponent.create();
        Model.Config config = new Model.Config();
        if (singleton) {
            vela = container.provider(Model.Config.class);
            guice = injector.getProvider(Model.Config.class);
            dagger = component.config();
            handwired = () -> config;
        } else {
            vela = container.provider(Model.Root.class);
            guice = injector.getProvider(Model.Root.class);
            dagger = component.root();
            handwired = () -> new Model.Root(new Model.Mid(new Model.Leaf1(), new Model.Leaf2()), new Model.Side());
        }
        vela.get();
        guice.get();
        dagger.get();
    }

    /** Closes the Vela container. */
    @TearDown
    public void tearDown() {
        container.close();
    }

    /** @return the provider's instance */
    @Benchmark
    public Object vela() {
        return vela.get();
    }

    /** @return the provider's instance */
    @Benchmark
    public Object handwired() {
        return handwired.get();
    }

    /** @return the provider's instance */
    @Benchmark
    public Object guice() {
        return guice.get();
    }

    /** @return the provider's instance */
    @Benchmark
    public Object dagger() {
        return dagger.get();
    }
}
