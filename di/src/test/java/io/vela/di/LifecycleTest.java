package io.vela.di;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void reset() {
        EVENTS.clear();
    }

    @Singleton
    static final class Pool implements AutoCloseable {
        @PostConstruct
        void start() {
            EVENTS.add("start Pool");
        }

        @Override
        public void close() {
            EVENTS.add("close Pool");
        }
    }

    @Singleton
    static final class Repo {
        @Inject
        Repo(Pool pool) {
            EVENTS.add("new Repo");
        }

        @PreDestroy
        void stop() {
            EVENTS.add("stop Repo");
        }
    }

    @Singleton
    static final class Api implements AutoCloseable {
        @Inject
        Api(Repo repo) {
            EVENTS.add("new Api");
        }

        @PreDestroy
        void flush() {
            EVENTS.add("flush Api");
        }

        @Override
        public void close() {
            EVENTS.add("close Api");
        }
    }

    @Test
    void destructionInReverseCreationOrder() {
        Container c = Container.builder().install(b -> b.bind(Api.class)).build();
        c.get(Api.class);
        c.close();
        assertThat(EVENTS).containsExactly("start Pool", "new Repo", "new Api",
                "flush Api", "close Api", "stop Repo", "close Pool");
        c.close();
        assertThat(EVENTS).hasSize(7);
    }

    @Scoped
    static final class Tx implements AutoCloseable {
        static int seq;
        final int id = ++seq;

        @Override
        public void close() {
            EVENTS.add("close Tx" + id);
        }
    }

    @Scoped
    static final class Session {
        @Inject
        Session(Tx tx, Pool pool) {
        }

        @PreDestroy
        void end() {
            EVENTS.add("end Session");
        }
    }

    @Test
    void scopeDestroysItsInstancesOnCloseAndLeavesSingletonsAlone() {
        Tx.seq = 0;
        try (Container c = Container.builder().install(b -> b.bind(Session.class)).build()) {
            try (Scope s1 = c.openScope(); Scope s2 = c.openScope()) {
                s1.get(Session.class);
                s2.get(Tx.class);
            }
            assertThat(EVENTS).containsExactly("start Pool", "close Tx2", "end Session", "close Tx1");
        }
        assertThat(EVENTS).endsWith("close Pool");
    }

    @Test
    void noLeakOfScopedInstancesAfterClose() {
        try (Container c = Container.builder().install(b -> b.bind(Session.class)).build()) {
            Scope scope = c.openScope();
            WeakReference<Object> session = new WeakReference<>(scope.get(Session.class));
            WeakReference<Object> tx = new WeakReference<>(scope.get(Tx.class));
            scope.close();
            // the scope itself stays reachable here: closing must drop its references
            for (int i = 0; i < 50 && (session.get() != null || tx.get() != null); i++) {
                System.gc();
            }
            assertThat(session.get()).isNull();
            assertThat(tx.get()).isNull();
            assertThat(scope).isNotNull();
        }
    }

    @Singleton
    static final class Broken {
        @Inject
        Broken(Repo repo) {
            throw new IllegalStateException("no database");
        }
    }

    @Test
    void failedStartUpDestroysWhatWasCreated() {
        assertThatThrownBy(() -> Container.builder().install(b -> {
            b.bind(Repo.class).asEagerSingleton();
            b.bind(Broken.class).asEagerSingleton();
        }).build())
                .isInstanceOf(DiException.class)
                .hasMessage("Start-up failed creating eager singleton Broken; the singletons already created were"
                        + " destroyed: Creating Broken failed: java.lang.IllegalStateException: no database")
                .hasRootCauseMessage("no database");
        assertThat(EVENTS).containsExactly("start Pool", "new Repo", "stop Repo", "close Pool");
    }

    static final class Failing implements AutoCloseable {
        @Override
        public void close() {
            throw new IllegalStateException("close failed");
        }
    }

    @Test
    void destroyFailuresAreReportedAfterEveryoneIsDestroyed() {
        Container c = Container.builder().install(b -> {
            b.bind(Pool.class).asEagerSingleton();
            b.bind(Failing.class).asEagerSingleton();
        }).build();
        assertThatThrownBy(c::close).isInstanceOf(DiException.class)
                .hasMessage("Closing the container: destroying Failing failed: java.lang.IllegalStateException:"
                        + " close failed");
        assertThat(EVENTS).containsExactly("start Pool", "close Pool");
    }

    @Test
    void containerCloseClosesTheScopesStillOpenBeforeItsSingletons() {
        Tx.seq = 0;
        Container c = Container.builder().install(b -> b.bind(Session.class)).build();
        Scope first = c.openScope();
        Scope second = c.openScope();
        Scope closedByItsOpener = c.openScope();
        Scope empty = c.openScope();
        first.get(Session.class);
        second.get(Tx.class);
        closedByItsOpener.get(Tx.class);
        closedByItsOpener.close();
        assertThat(EVENTS).containsExactly("start Pool", "close Tx3");

        c.close();

        // newest scope first; in each scope reverse creation order; then the singletons
        assertThat(EVENTS).containsExactly("start Pool", "close Tx3", "close Tx2", "end Session", "close Tx1",
                "close Pool");
        for (Scope s : List.of(first, second, empty)) {
            assertThatThrownBy(() -> s.get(Tx.class)).isInstanceOf(DiException.class)
                    .hasMessage("Cannot resolve Tx: the container is closed (and closed its scopes)");
        }
        first.close();
        second.close();
        c.close();
        assertThat(EVENTS).hasSize(6);
    }

    @Test
    void scopeCannotCreateDestroyableInstancesAfterItsContainerClosed() {
        Container c = Container.builder().install(b -> b.bind(Tx.class)).build();
        Scope scope = c.openScope();
        c.close();
        assertThatThrownBy(() -> scope.get(Key.of(Tx.class))).isInstanceOf(DiException.class)
                .hasMessageContaining("the container is closed");
        assertThat(EVENTS).isEmpty();
    }

    static final class TransientResource implements AutoCloseable {
        @Override
        public void close() {
            EVENTS.add("close TransientResource");
        }
    }

    @Test
    void transientsAreNotTrackedSoNeverDestroyed() {
        Container c = Container.builder().install(b -> b.bind(TransientResource.class)).build();
        WeakReference<Object> made = new WeakReference<>(c.get(TransientResource.class));
        for (int i = 0; i < 50 && made.get() != null; i++) {
            System.gc();
        }
        assertThat(made.get()).as("the container keeps no reference to a transient").isNull();
        c.close();
        assertThat(EVENTS).isEmpty();
    }

    static final class NeedsSession {
        final Provider<Session> session;

        @Inject
        NeedsSession(Provider<Session> session) {
            this.session = session;
        }
    }

    @Scoped
    static final class Plain {
    }

    @Test
    void providersHeldFromAScopeRefuseOnceTheContainerIsClosed() {
        Container c = Container.builder().install(b -> {
            b.bind(NeedsSession.class);
            b.bind(Plain.class);
        }).build();
        Scope withDestroyables = c.openScope();
        Scope plainOnly = c.openScope();          // nothing to destroy: never registered with the container
        Provider<Session> injected = withDestroyables.get(NeedsSession.class).session;
        assertThat(injected.get()).isSameAs(injected.get());
        Provider<Plain> plain = plainOnly.provider(Plain.class);
        assertThat(plain.get()).isSameAs(plain.get());

        c.close();

        assertThatThrownBy(injected::get).isInstanceOf(DiException.class)
                .hasMessage("Cannot resolve Session: the container is closed (and closed its scopes)");
        assertThatThrownBy(plain::get).isInstanceOf(DiException.class)
                .hasMessage("Cannot resolve Plain: the container is closed (and closed its scopes)");
    }

    static final class BrokenStatics {
        @Inject
        static void init(Pool pool) {
            throw new IllegalStateException("no registry");
        }
    }

    @Test
    void failedStaticInjectionFailsTheBuildAndDestroysWhatWasCreated() {
        assertThatThrownBy(() -> Container.builder()
                .install(b -> b.requestStaticInjection(BrokenStatics.class)).build())
                .isInstanceOf(DiException.class)
                .hasMessage("Start-up failed injecting the static members of BrokenStatics; the singletons already"
                        + " created were destroyed: Injecting the static members of BrokenStatics failed:"
                        + " java.lang.IllegalStateException: no registry")
                .hasRootCauseMessage("no registry");
        assertThat(EVENTS).containsExactly("start Pool", "close Pool");
    }
}
