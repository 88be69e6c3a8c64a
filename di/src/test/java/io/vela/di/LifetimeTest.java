package io.vela.di;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

class LifetimeTest {

    @Singleton
    static final class Cache {
        static final AtomicInteger CREATED = new AtomicInteger();

        @Inject
        Cache() {
            CREATED.incrementAndGet();
        }
    }

    static final class Handler {
        final Cache cache;

        @Inject
        Handler(Cache cache) {
            this.cache = cache;
        }
    }

    @Scoped
    static final class RequestContext {
        final Cache cache;

        @Inject
        RequestContext(Cache cache) {
            this.cache = cache;
        }
    }

    static final class RequestHandler {
        final RequestContext ctx;
        final Provider<RequestContext> ctxProvider;

        @Inject
        RequestHandler(RequestContext ctx, Provider<RequestContext> ctxProvider) {
            this.ctx = ctx;
            this.ctxProvider = ctxProvider;
        }
    }

    @Test
    void singletonIsSharedAndTransientIsNew() {
        try (Container c = Container.builder().install(b -> b.bind(Handler.class)).build()) {
            Handler h1 = c.get(Handler.class);
            Handler h2 = c.get(Handler.class);
            assertThat(h1).isNotSameAs(h2);
            assertThat(h1.cache).isSameAs(h2.cache).isSameAs(c.get(Cache.class));
        }
    }

    @Test
    void scopedIsOnePerScopeAndScopesAreIsolated() {
        try (Container c = Container.builder().install(b -> b.bind(RequestHandler.class)).build();
             Scope s1 = c.openScope();
             Scope s2 = c.openScope()) {
            RequestContext a1 = s1.get(RequestContext.class);
            RequestContext b1 = s2.get(RequestContext.class);
            assertThat(a1).isNotSameAs(b1);
            assertThat(s1.get(RequestContext.class)).isSameAs(a1);
            assertThat(s2.get(RequestContext.class)).isSameAs(b1);
            assertThat(a1.cache).isSameAs(b1.cache);
            RequestHandler h = s1.get(RequestHandler.class);
            assertThat(h.ctx).isSameAs(a1);
            assertThat(h.ctxProvider.get()).as("a provider injected in a scope resolves in that scope").isSameAs(a1);
            assertThat(s2.provider(RequestContext.class).get()).isSameAs(b1);
        }
    }

    @Test
    void scopedFromTheRootFailsWithAPreciseMessage() {
        try (Container c = Container.builder().install(b -> b.bind(RequestHandler.class)).build()) {
            assertThatThrownBy(() -> c.get(RequestContext.class))
                    .isInstanceOf(DiException.class)
                    .hasMessage("RequestContext is scoped: resolve it from a Scope (container.openScope()),"
                            + " not from the container");
        }
    }

    @Test
    void explicitLifetimeOverridesAnnotation() {
        try (Container c = Container.builder().install(b -> b.bind(Cache.class).in(Lifetime.TRANSIENT)).build()) {
            assertThat(c.get(Cache.class)).isNotSameAs(c.get(Cache.class));
        }
    }

    @Test
    void lazyByDefaultEagerOnRequest() {
        Cache.CREATED.set(0);
        try (Container c = Container.builder().install(b -> b.bind(Cache.class)).build()) {
            assertThat(Cache.CREATED.get()).isZero();
            c.get(Cache.class);
            assertThat(Cache.CREATED.get()).isEqualTo(1);
        }
        Cache.CREATED.set(0);
        try (Container c = Container.builder().install(b -> b.bind(Cache.class).asEagerSingleton()).build()) {
            assertThat(Cache.CREATED.get()).isEqualTo(1);
            c.get(Cache.class);
            assertThat(Cache.CREATED.get()).isEqualTo(1);
        }
        Cache.CREATED.set(0);
        try (Container c = Container.builder().eagerSingletons().install(b -> b.bind(Handler.class)).build()) {
            assertThat(Cache.CREATED.get()).isEqualTo(1);
            c.get(Handler.class);
            assertThat(Cache.CREATED.get()).isEqualTo(1);
        }
    }

    @Singleton
    static final class Slow {
        static final AtomicInteger CREATED = new AtomicInteger();

        @Inject
        Slow() {
            CREATED.incrementAndGet();
            // widen the race window without sleeping
            long x = 0;
            for (int i = 0; i < 200_000; i++) {
                x += i ^ (x >>> 3);
            }
            if (x == 42) {
                throw new IllegalStateException();
            }
        }
    }

    @Test
    void singletonIsCreatedExactlyOnceUnderARaceOfThreads() throws Exception {
        int threads = 16;
        for (int round = 0; round < 20; round++) {
            Slow.CREATED.set(0);
            try (Container c = Container.builder().install(b -> b.bind(Slow.class)).build()) {
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                try {
                    CountDownLatch ready = new CountDownLatch(threads);
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Slow>> results = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        Callable<Slow> task = () -> {
                            ready.countDown();
                            go.await();
                            return c.get(Slow.class);
                        };
                        results.add(pool.submit(task));
                    }
                    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
                    go.countDown();
                    Slow first = results.get(0).get(10, TimeUnit.SECONDS);
                    for (Future<Slow> f : results) {
                        assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(first);
                    }
                    assertThat(Slow.CREATED.get()).isEqualTo(1);
                } finally {
                    pool.shutdownNow();
                    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                }
            }
        }
    }

    @Test
    void containerAndScopeRefuseUseAfterClose() {
        Container c = Container.builder().install(b -> b.bind(RequestHandler.class)).build();
        Scope s = c.openScope();
        s.get(RequestContext.class);
        s.close();
        assertThatThrownBy(() -> s.get(RequestContext.class)).isInstanceOf(DiException.class)
                .hasMessage("Cannot resolve RequestContext: the scope is closed");
        c.get(Cache.class);
        c.close();
        c.close();
        assertThatThrownBy(() -> c.get(Cache.class)).isInstanceOf(DiException.class)
                .hasMessage("Cannot create Cache: the container is closed");
        assertThatThrownBy(c::openScope).isInstanceOf(DiException.class).hasMessage("The container is closed");
    }
}
