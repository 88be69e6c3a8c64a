package io.vela.di;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import jakarta.inject.Qualifier;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

class BindingTest {

    interface Greeter {
        String greet();
    }

    static final class English implements Greeter {
        @Override
        public String greet() {
            return "hello";
        }
    }

    static final class French implements Greeter {
        @Override
        public String greet() {
            return "bonjour";
        }
    }

    static final class Config {
        final String url;

        Config(String url) {
            this.url = url;
        }
    }

    static final class Client {
        final Config config;
        final Greeter greeter;

        @Inject
        Client(Config config, @Named("fr") Greeter greeter) {
            this.config = config;
            this.greeter = greeter;
        }
    }

    @Test
    void constructorInjectionWithInterfaceInstanceAndNamedBindings() {
        try (Container c = Container.builder().install(b -> {
            b.bind(Greeter.class).to(English.class);
            b.bind(Key.named(Greeter.class, "fr")).to(French.class);
            b.bindInstance(Config.class, new Config("db://x"));
            b.bind(Client.class);
        }).build()) {
            Client client = c.get(Client.class);
            assertThat(client.config.url).isEqualTo("db://x");
            assertThat(client.greeter.greet()).isEqualTo("bonjour");
            assertThat(c.get(Greeter.class).greet()).isEqualTo("hello");
            assertThat(c.get(Key.named(Greeter.class, "fr"))).isInstanceOf(French.class);
            assertThat(c.get(Client.class)).isNotSameAs(client);
        }
    }

    @Qualifier
    @Retention(RetentionPolicy.RUNTIME)
    @interface Primary {
    }

    static final class UsesPrimary {
        final Greeter greeter;

        @Inject
        UsesPrimary(@Primary Greeter greeter) {
            this.greeter = greeter;
        }
    }

    @Test
    void customQualifier() {
        try (Container c = Container.builder().install(b -> {
            b.bind(Key.qualified(Greeter.class, Primary.class)).to(French.class);
            b.bind(UsesPrimary.class);
        }).build()) {
            assertThat(c.get(UsesPrimary.class).greeter).isInstanceOf(French.class);
        }
    }

    interface Repository<T> {
        String entity();
    }

    static final class User {
    }

    static final class Order {
    }

    static final class UserRepository implements Repository<User> {
        @Override
        public String entity() {
            return "user";
        }
    }

    static final class OrderRepository implements Repository<Order> {
        @Override
        public String entity() {
            return "order";
        }
    }

    static final class Service {
        final Repository<User> users;
        final Repository<Order> orders;

        @Inject
        Service(Repository<User> users, Repository<Order> orders) {
            this.users = users;
            this.orders = orders;
        }
    }

    @Test
    void genericTypesAreToldApart() {
        try (Container c = Container.builder().install(b -> {
            b.bind(new TypeRef<Repository<User>>() { }).to(UserRepository.class);
            b.bind(new TypeRef<Repository<Order>>() { }).to(OrderRepository.class);
            b.bind(Service.class);
        }).build()) {
            Service s = c.get(Service.class);
            assertThat(s.users.entity()).isEqualTo("user");
            assertThat(s.orders.entity()).isEqualTo("order");
            assertThat(c.get(Key.of(new TypeRef<Repository<Order>>() { })).entity()).isEqualTo("order");
        }
    }

    static class Base {
        @Inject
        Config baseField;
        Greeter viaMethod;
        int methodCalls;

        @Inject
        void setGreeter(Greeter g) {
            viaMethod = g;
            methodCalls++;
        }
    }

    static final class Derived extends Base {
        @Inject
        Greeter derivedField;
    }

    @Test
    void fieldAndMethodInjectionIncludingSuperclass() {
        try (Container c = Container.builder().install(b -> {
            b.bindInstance(Config.class, new Config("u"));
            b.bind(Greeter.class).to(English.class);
            b.bind(Derived.class);
        }).build()) {
            Derived d = c.get(Derived.class);
            assertThat(d.baseField.url).isEqualTo("u");
            assertThat(d.derivedField).isInstanceOf(English.class);
            assertThat(d.viaMethod).isInstanceOf(English.class);
            assertThat(d.methodCalls).isEqualTo(1);
        }
    }

    static final class Counter {
        static int created;

        @Inject
        Counter() {
            created++;
        }
    }

    static final class Lazy {
        final Provider<Counter> counters;

        @Inject
        Lazy(Provider<Counter> counters) {
            this.counters = counters;
        }
    }

    @Test
    void providerIsLazyAndTransientTargetsAreNewEachTime() {
        Counter.created = 0;
        try (Container c = Container.builder().install(b -> b.bind(Lazy.class)).build()) {
            Lazy lazy = c.get(Lazy.class);
            assertThat(Counter.created).isZero();
            Counter a = lazy.counters.get();
            Counter b = lazy.counters.get();
            assertThat(a).isNotSameAs(b);
            assertThat(Counter.created).isEqualTo(2);
            assertThat(c.provider(Counter.class).get()).isNotNull();
        }
    }

    interface Middleware {
        String name();
    }

    static final class Auth implements Middleware {
        @Override
        public String name() {
            return "auth";
        }
    }

    @Singleton
    static final class Logging implements Middleware {
        @Override
        public String name() {
            return "logging";
        }
    }

    static final class Pipeline {
        final List<Middleware> list;
        final Set<Middleware> set;

        @Inject
        Pipeline(List<Middleware> list, Set<Middleware> set) {
            this.list = list;
            this.set = set;
        }
    }

    @Test
    void multibindingsInRegistrationOrderAcrossModules() {
        Middleware metrics = () -> "metrics";
        try (Container c = Container.builder()
                .install(b -> b.multibind(Middleware.class).add(Logging.class).add(Auth.class))
                .install(b -> {
                    b.multibind(Middleware.class).addInstance(metrics).addProvider(() -> () -> "tracing");
                    b.bind(Pipeline.class);
                }).build()) {
            Pipeline p = c.get(Pipeline.class);
            assertThat(p.list).extracting(Middleware::name).containsExactly("logging", "auth", "metrics", "tracing");
            assertThat(p.set).extracting(Middleware::name).containsExactly("logging", "auth", "metrics", "tracing");
            assertThat(p.list.get(0)).isSameAs(c.get(Logging.class));
            assertThat(c.get(Key.listOf(Key.of(Middleware.class)))).hasSize(4);
            assertThatThrownBy(() -> p.list.add(metrics)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    static final class Dep {
    }

    static final class Made {
        final Dep dep;
        final String tag;

        Made(Dep dep, String tag) {
            this.dep = dep;
            this.tag = tag;
        }
    }

    @Test
    void providerFunctionsWithDependencies() {
        try (Container c = Container.builder().install(b -> {
            b.bind(Dep.class).in(Lifetime.SINGLETON);
            b.bind(Key.named(String.class, "tag")).toInstance("t1");
            b.bind(Made.class).toProvider(Dep.class, String.class, Made::new);
            b.bind(Key.named(Made.class, "named")).toProvider(Key.named(String.class, "tag"), t -> new Made(null, t));
            b.bind(String.class).toProvider(() -> "plain");
        }).build()) {
            Made m = c.get(Made.class);
            assertThat(m.dep).isSameAs(c.get(Dep.class));
            assertThat(m.tag).isEqualTo("plain");
            assertThat(c.get(Key.named(Made.class, "named")).tag).isEqualTo("t1");
        }
    }

    @Test
    void engineSeamBindsJdkTypesAsInstancesAndSuppliers() {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Container c = Container.builder().install(b -> {
            b.bindInstance(java.util.concurrent.Executor.class, pool);
            b.bindSupplier(java.util.concurrent.ExecutorService.class, () -> pool);
        }).build()) {
            assertThat(c.get(java.util.concurrent.Executor.class)).isSameAs(pool);
            assertThat(c.get(java.util.concurrent.ExecutorService.class)).isSameAs(pool);
        }
        assertThat(pool.isShutdown()).as("the container never destroys instances it did not create").isFalse();
        pool.shutdown();
    }

    @Test
    void unknownKeyAtRuntimeIsReportedWithSuggestion() {
        try (Container c = Container.builder().install(b -> b.bind(Greeter.class).to(English.class)).build()) {
            assertThatThrownBy(() -> c.get(Key.named(Greeter.class, "nope")))
                    .isInstanceOf(DiException.class)
                    .hasMessage("No binding for @Named(\"nope\") Greeter: the container resolves only keys known when"
                            + " it was built; bind it in a module. Did you mean: Greeter, English (a subtype)?");
        }
    }

    /** A JDK superclass (its package is not open to vela-di) with nothing to inject does not get in the way. */
    static final class Registry extends java.util.AbstractMap<String, String> {
        @Inject English greeter;

        @Override
        public java.util.Set<Entry<String, String>> entrySet() {
            return java.util.Set.of();
        }
    }

    @Test
    void classExtendingAJdkClassIsInjected() {
        try (Container c = Container.builder().install(b -> b.bind(Registry.class)).build()) {
            assertThat(c.get(Registry.class).greeter).isInstanceOf(English.class);
        }
    }
}
