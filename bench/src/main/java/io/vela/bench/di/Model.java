package io.vela.bench.di;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The object graphs the di benchmarks resolve; the same classes serve Vela, Guice, Dagger and hand wiring. */
public final class Model {
    private Model() {
    }

    /** A singleton service. */
    @Singleton
    public static final class Config {
        /** Injected. */
        @Inject
        public Config() {
        }
    }

    /** Transient graph, level 3. */
    public static final class Leaf1 {
        /** Injected. */
        @Inject
        public Leaf1() {
        }
    }

    /** Transient graph, level 3. */
    public static final class Leaf2 {
        /** Injected. */
        @Inject
        public Leaf2() {
        }
    }

    /** Transient graph, level 2. */
    public static final class Side {
        /** Injected. */
        @Inject
        public Side() {
        }
    }

    /** Transient graph, level 2. */
    public static final class Mid {
        final Leaf1 a;
        final Leaf2 b;

        /**
         * @param a dependency
         * @param b dependency
         */
        @Inject
        public Mid(Leaf1 a, Leaf2 b) {
            this.a = a;
            this.b = b;
        }
    }

    /** Transient graph root: Root(Mid(Leaf1, Leaf2), Side), five objects three levels deep. */
    public static final class Root {
        final Mid mid;
        final Side side;

        /**
         * @param mid  dependency
         * @param side dependency
         */
        @Inject
        public Root(Mid mid, Side side) {
            this.mid = mid;
            this.side = side;
        }
    }

    /** One per request: Vela binds it {@code in(Lifetime.SCOPED)}, Dagger and Guice read {@link RequestScope}. */
    @RequestScope
    public static final class RequestData {
        final Config config;

        /** @param config the singleton it needs */
        @Inject
        public RequestData(Config config) {
            this.config = config;
        }
    }
}
