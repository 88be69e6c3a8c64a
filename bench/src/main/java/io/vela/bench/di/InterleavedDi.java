package io.vela.bench.di;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import io.vela.bench.di.gen.Build500;
import io.vela.di.Container;
import jakarta.inject.Provider;

/**
 * Vela against its peer in the {@code di} cases, timed interleaved in one JVM: short slices of calls alternate
 * between the two subjects and the best slice of each counts, so that load from other processes on a shared machine
 * hits both alike (JMH runs each subject in its own fork, minutes apart). A cross-check of the JMH suite's ratios,
 * not a replacement: the loops are plain Java, not JMH's. Each subject has its own loop method on purpose: a shared
 * loop over an interface would make its call site see several classes and stop the JIT inlining what it measures.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.vela.bench.di.InterleavedDi [singleton|transient|provider|build]}
 */
public final class InterleavedDi {
    private static Container byClassSingleton;
    private static Container byClassTransient;
    private static SingletonComponent daggerSingleton;
    private static TransientComponent daggerTransient;
    private static Provider<?> velaProviderSingleton;
    private static Provider<?> velaProviderTransient;
    private static Provider<?> daggerProviderSingleton;
    private static Provider<?> daggerProviderTransient;
    /**
     * Where the transient loops put each new graph, so that it escapes and is really allocated. Plain, not volatile (a
     * volatile store costs more than a resolve); the singleton loops store nothing (a reference store's GC barrier
     * would cost more than the get).
     */
    private static Object sink;

    private InterleavedDi() {
    }

    /** Calls of one subject; returns the number of {@code null} results (always 0) so the calls cannot be dropped. */
    private interface Loop {
        long run(long calls);
    }

    /**
     * @param args optional case: {@code singleton}, {@code transient}, {@code provider} or {@code build}; all if none
     */
    public static void main(String[] args) {
        byClassSingleton = Container.builder().install(b -> b.bind(Model.Config.class)).build();
        byClassTransient = Container.builder().install(b -> b.bind(Model.Root.class)).build();
        Container both = Container.builder().install(b -> {
            b.bind(Model.Config.class);
            b.bind(Model.Root.class);
        }).build();
        daggerSingleton = DaggerSingletonComponent.create();
        daggerTransient = DaggerTransientComponent.create();
        ProviderComponent providers = DaggerProviderComponent.create();
        velaProviderSingleton = both.provider(Model.Config.class);
        velaProviderTransient = both.provider(Model.Root.class);
        daggerProviderSingleton = providers.config();
        daggerProviderTransient = providers.root();
        String which = args.length > 0 ? args[0] : "all";
        if (which.equals("all") || which.equals("singleton")) {
            pair("singleton vs dagger", InterleavedDi::velaSingleton, InterleavedDi::daggerSingleton, 2_000_000, 400);
        }
        if (which.equals("all") || which.equals("transient")) {
            pair("transient-graph vs dagger", InterleavedDi::velaTransient, InterleavedDi::daggerTransient, 500_000,
                    300);
        }
        if (which.equals("all") || which.equals("provider")) {
            // one loop method per provider, so that each call site sees one provider class (as in a JMH fork)
            pair("provider-get-singleton vs dagger", InterleavedDi::velaProviderSingleton,
                    InterleavedDi::daggerProviderSingleton, 2_000_000, 400);
            pair("provider-get-transient vs dagger", InterleavedDi::velaProviderTransient,
                    InterleavedDi::daggerProviderTransient, 500_000, 300);
        }
        if (which.equals("all") || which.equals("build")) {
            pair("build-500 vs guice", InterleavedDi::velaBuild, InterleavedDi::guiceBuild, 4, 60);
        }
        both.close();
        byClassSingleton.close();
        byClassTransient.close();
    }

    private static void pair(String name, Loop vela, Loop peer, long calls, int rounds) {
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < 2; s++) {
                long start = System.nanoTime();
                long nulls = (s == 0 ? vela : peer).run(calls);
                long took = System.nanoTime() - start;
                if (nulls != 0) {
                    throw new IllegalStateException(name + ": a subject returned null");
                }
                if (r >= rounds / 5) {
                    best[s] = Math.min(best[s], took);
                }
            }
        }
        System.out.printf("%-34s vela %12.2f ns/op   peer %12.2f ns/op   vela throughput / peer = %.2f%n", name,
                best[0] / (double) calls, best[1] / (double) calls, best[1] / (double) best[0]);
    }

    private static long velaSingleton(long calls) {
        long nulls = 0;
        for (long i = 0; i < calls; i++) {
            nulls += byClassSingleton.get(Model.Config.class) == null ? 1 : 0;
        }
        return nulls;
    }

    private static long daggerSingleton(long calls) {
        long nulls = 0;
        for (long i = 0; i < calls; i++) {
            nulls += daggerSingleton.config() == null ? 1 : 0;
        }
        return nulls;
    }

    private static long velaTransient(long calls) {
        long nulls = 0;
        for (long i = 0; i < calls; i++) {
            Object o = byClassTransient.get(Model.Root.class);
            nulls += o == null ? 1 : 0;
            sink = o;
        }
        return nulls;
    }

    private static long daggerTransient(long calls) {
        long nulls = 0;
        for (long i = 0; i < calls; i++) {
            Object o = daggerTransient.root();
            nulls += o == null ? 1 : 0;
            sink = o;
        }
        return nulls;
    }

    private static long velaProviderSingleton(long calls) {
        long nulls = 0;
        for (long i = 0; i < calls; i++) {
            nulls += velaProviderSingleton.get() == null ? 1 : 0;
        }
        return nulls;
    }

    private static long daggerProviderSingleton(long calls) {
        long nulls = 0;
        for (long i = 0; i < calls; i++) {
            nulls += daggerProviderSingleton.get() == null ? 1 : 0;
        }
        return nulls;
    }

    private static long velaProviderTransient(long calls) {
        long nulls = 0;
        for (long i = 0; i < calls; i++) {
            Object o = velaProviderTransient.get();
            nulls += o == null ? 1 : 0;
            sink = o;
        }
        return nulls;
    }

    private static long daggerProviderTransient(long calls) {
        long nulls = 0;
        for (long i = 0; i < calls; i++) {
            Object o = daggerProviderTransient.get();
            nulls += o == null ? 1 : 0;
            sink = o;
        }
        return nulls;
    }

    private static long velaBuild(long calls) {
        long nulls = 0;
        for (long i = 0; i < calls; i++) {
            Container c = Container.builder().install(b -> {
                for (Class<?> k : Build500.CLASSES) {
                    b.bind(k);
                }
            }).build();
            nulls += c == null ? 1 : 0;
            c.close();
        }
        return nulls;
    }

    private static long guiceBuild(long calls) {
        long nulls = 0;
        for (long i = 0; i < calls; i++) {
            Object injector = Guice.createInjector(new AbstractModule() {
                @Override
                protected void configure() {
                    for (Class<?> k : Build500.CLASSES) {
                        bind(k);
                    }
                }
            });
            nulls += injector == null ? 1 : 0;
        }
        return nulls;
    }
}
