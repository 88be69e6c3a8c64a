package io.vela.di.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import io.vela.di.Binder;
import io.vela.di.BindingBuilder;
import io.vela.di.Key;
import io.vela.di.Lifetime;
import io.vela.di.Module;
import io.vela.di.MultibindingBuilder;
import io.vela.di.TypeRef;

/** Records declarations from modules. Build time only, single thread. */
final class BinderImpl implements Binder {
    final List<Decl> decls = new ArrayList<>();
    final Map<Key<?>, List<Decl>> multis = new LinkedHashMap<>();
    /** Classes whose static members are to be injected, each with the module that asked, in request order. */
    final Map<Class<?>, String> staticInjections = new LinkedHashMap<>();
    private final Deque<String> origins = new ArrayDeque<>();

    void installRoot(Module module) {
        install(module);
    }

    private String origin() {
        return origins.isEmpty() ? "container builder" : origins.peek();
    }

    @Override
    public void install(Module module) {
        Objects.requireNonNull(module, "module");
        String name = module.getClass().getSimpleName();
        if (name.isEmpty() || name.contains("$$Lambda")) {
            name = module.getClass().getName();
            int dollar = name.indexOf("$$Lambda");
            if (dollar > 0) {
                name = name.substring(name.lastIndexOf('.') + 1, dollar) + " (lambda module)";
            }
        }
        origins.push(name);
        try {
            module.configure(this);
        } finally {
            origins.pop();
        }
    }

    @Override
    public <T> BindingBuilder<T> bind(Class<T> type) {
        return bind(Key.of(type));
    }

    @Override
    public <T> BindingBuilder<T> bind(TypeRef<T> type) {
        return bind(Key.of(type));
    }

    @Override
    public <T> BindingBuilder<T> bind(Key<T> key) {
        Decl d = new Decl(Objects.requireNonNull(key, "key"), origin());
        decls.add(d);
        return new Builder<>(d);
    }

    @Override
    public <T> void bindInstance(Class<T> type, T instance) {
        bind(type).toInstance(instance);
    }

    @Override
    public <T> void bindSupplier(Class<T> type, Supplier<? extends T> supplier) {
        bind(type).toProvider(supplier);
    }

    @Override
    public void requestStaticInjection(Class<?>... types) {
        for (Class<?> type : types) {
            staticInjections.putIfAbsent(Objects.requireNonNull(type, "type"), origin());
        }
    }

    @Override
    public <T> MultibindingBuilder<T> multibind(Class<T> elementType) {
        return multibind(Key.of(elementType));
    }

    @Override
    public <T> MultibindingBuilder<T> multibind(Key<T> elementKey) {
        List<Decl> elements = multis.computeIfAbsent(Objects.requireNonNull(elementKey, "elementKey"),
                k -> new ArrayList<>());
        return new Multi<>(elementKey, elements);
    }

    private final class Multi<T> implements MultibindingBuilder<T> {
        private final Key<T> key;
        private final List<Decl> elements;

        Multi(Key<T> key, List<Decl> elements) {
            this.key = key;
            this.elements = elements;
        }

        @Override
        public MultibindingBuilder<T> add(Class<? extends T> implementation) {
            Decl d = new Decl(key, origin());
            d.kind = Decl.Kind.CLASS;
            d.impl = Objects.requireNonNull(implementation, "implementation");
            elements.add(d);
            return this;
        }

        @Override
        public MultibindingBuilder<T> addInstance(T instance) {
            Decl d = new Decl(key, origin());
            d.kind = Decl.Kind.INSTANCE;
            d.instance = Objects.requireNonNull(instance, "instance");
            elements.add(d);
            return this;
        }

        @Override
        public MultibindingBuilder<T> addProvider(Supplier<? extends T> supplier) {
            Decl d = new Decl(key, origin());
            d.kind = Decl.Kind.SUPPLIER;
            d.supplier = Objects.requireNonNull(supplier, "supplier");
            elements.add(d);
            return this;
        }
    }

    private static final class Builder<T> implements BindingBuilder<T> {
        private final Decl d;

        Builder(Decl d) {
            this.d = d;
        }

        @Override
        public BindingBuilder<T> to(Class<? extends T> implementation) {
            d.target(Decl.Kind.CLASS);
            d.impl = Objects.requireNonNull(implementation, "implementation");
            d.targetSet();
            return this;
        }

        @Override
        public BindingBuilder<T> toInstance(T instance) {
            d.target(Decl.Kind.INSTANCE);
            d.instance = Objects.requireNonNull(instance, "instance");
            d.targetSet();
            return this;
        }

        @Override
        public BindingBuilder<T> toProvider(Supplier<? extends T> supplier) {
            d.target(Decl.Kind.SUPPLIER);
            d.supplier = Objects.requireNonNull(supplier, "supplier");
            d.targetSet();
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A> BindingBuilder<T> toProvider(Key<A> dependency, Function<? super A, ? extends T> factory) {
            Objects.requireNonNull(factory, "factory");
            d.target(Decl.Kind.FUNCTION);
            d.fnDeps = List.of(Objects.requireNonNull(dependency, "dependency"));
            d.fn = args -> factory.apply((A) args[0]);
            d.targetSet();
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A, B> BindingBuilder<T> toProvider(Class<A> first, Class<B> second,
                                                   BiFunction<? super A, ? super B, ? extends T> factory) {
            Objects.requireNonNull(factory, "factory");
            d.target(Decl.Kind.FUNCTION);
            d.fnDeps = List.of(Key.of(first), Key.of(second));
            d.fn = args -> factory.apply((A) args[0], (B) args[1]);
            d.targetSet();
            return this;
        }

        @Override
        public BindingBuilder<T> in(Lifetime lifetime) {
            d.lifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        @Override
        public BindingBuilder<T> asEagerSingleton() {
            d.lifetime = Lifetime.SINGLETON;
            d.eager = true;
            return this;
        }
    }
}
