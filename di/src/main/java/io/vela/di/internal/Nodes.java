package io.vela.di.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

import io.vela.di.DiException;
import jakarta.inject.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled node kinds. Every factory holds method handles adapted once, at build, to an erased exact type, and
 * calls them with {@code invokeExact}: no reflection and no argument arrays on the common paths (constructors of up
 * to four parameters with no member injection). Any thread may call them.
 */
final class Nodes {
    private static final Logger LOG = LoggerFactory.getLogger(Nodes.class);
    static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    static final Object CREATING = new Object();

    private Nodes() {
    }

    static RuntimeException fail(String label, Throwable t) {
        if (t instanceof DiException) {
            return (DiException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new DiException("Creating " + label + " failed: " + t, t);
    }

    /** Calls after which a constructor node asks {@link GraphCompiler} for generated code. */
    static final int TIER_UP_CALLS = 2_000;

    /**
     * A transient constructor binding without member injection. It starts by calling its method handle; after
     * {@link #TIER_UP_CALLS} calls it is compiled once, by {@link GraphCompiler}, into a generated class that inlines
     * the {@code new} of the whole transient subgraph below it, and from then on delegates to that.
     */
    abstract static class CtorNode extends Node {
        final Constructor<?> ctor;
        final Node[] deps;
        final String label;
        Node fast;
        int calls;
        ClassTable table;

        CtorNode(Constructor<?> ctor, Node[] deps, String label) {
            this.ctor = ctor;
            this.deps = deps;
            this.label = label;
        }

        /**
         * @return the generated factory once there is one; counts calls until then and tiers up at
         *         {@code TIER_UP_CALLS} (the call that tiers up already uses the new factory)
         */
        final Node compiled() {
            Node f = fast;
            if (f == null && ++calls == TIER_UP_CALLS) {
                tierUp();
                f = fast;
            }
            return f;
        }

        final synchronized void tierUp() {
            if (fast != null) {
                return;
            }
            try {
                Node compiled = GraphCompiler.compile(this);
                if (compiled != null) {
                    fast = compiled;
                    if (table != null) {
                        table.replace(this, compiled);
                    }
                }
            } catch (Throwable t) {
                LOG.debug("Cannot generate a factory for {}; it keeps its method handle", label, t);
            }
        }
    }

    /** Constructor without parameters. */
    static final class Ctor0 extends CtorNode {
        private final MethodHandle mh;

        Ctor0(MethodHandle mh, Constructor<?> ctor, Node[] d, String label) {
            super(ctor, d, label);
            this.mh = mh;
        }

        @Override
        public Object get(ScopeImpl s) {
            Node f = compiled();
            if (f != null) {
                return f.get(s);
            }
            try {
                return mh.invokeExact();
            } catch (Throwable t) {
                throw fail(label, t);
            }
        }
    }

    /** Constructor with one parameter. */
    static final class Ctor1 extends CtorNode {
        private final MethodHandle mh;
        private final Node d0;

        Ctor1(MethodHandle mh, Constructor<?> ctor, Node[] d, String label) {
            super(ctor, d, label);
            this.mh = mh;
            this.d0 = d[0];
        }

        @Override
        public Object get(ScopeImpl s) {
            Node f = compiled();
            if (f != null) {
                return f.get(s);
            }
            try {
                return mh.invokeExact(d0.get(s));
            } catch (Throwable t) {
                throw fail(label, t);
            }
        }
    }

    /** Constructor with two parameters. */
    static final class Ctor2 extends CtorNode {
        private final MethodHandle mh;
        private final Node d0;
        private final Node d1;

        Ctor2(MethodHandle mh, Constructor<?> ctor, Node[] d, String label) {
            super(ctor, d, label);
            this.mh = mh;
            this.d0 = d[0];
            this.d1 = d[1];
        }

        @Override
        public Object get(ScopeImpl s) {
            Node f = compiled();
            if (f != null) {
                return f.get(s);
            }
            try {
                return mh.invokeExact(d0.get(s), d1.get(s));
            } catch (Throwable t) {
                throw fail(label, t);
            }
        }
    }

    /** Constructor with three parameters. */
    static final class Ctor3 extends CtorNode {
        private final MethodHandle mh;
        private final Node d0;
        private final Node d1;
        private final Node d2;

        Ctor3(MethodHandle mh, Constructor<?> ctor, Node[] d, String label) {
            super(ctor, d, label);
            this.mh = mh;
            this.d0 = d[0];
            this.d1 = d[1];
            this.d2 = d[2];
        }

        @Override
        public Object get(ScopeImpl s) {
            Node f = compiled();
            if (f != null) {
                return f.get(s);
            }
            try {
                return mh.invokeExact(d0.get(s), d1.get(s), d2.get(s));
            } catch (Throwable t) {
                throw fail(label, t);
            }
        }
    }

    /** Constructor with four parameters. */
    static final class Ctor4 extends CtorNode {
        private final MethodHandle mh;
        private final Node d0;
        private final Node d1;
        private final Node d2;
        private final Node d3;

        Ctor4(MethodHandle mh, Constructor<?> ctor, Node[] d, String label) {
            super(ctor, d, label);
            this.mh = mh;
            this.d0 = d[0];
            this.d1 = d[1];
            this.d2 = d[2];
            this.d3 = d[3];
        }

        @Override
        public Object get(ScopeImpl s) {
            Node f = compiled();
            if (f != null) {
                return f.get(s);
            }
            try {
                return mh.invokeExact(d0.get(s), d1.get(s), d2.get(s), d3.get(s));
            } catch (Throwable t) {
                throw fail(label, t);
            }
        }
    }

    /** Delegates to a class generated by {@link GraphCompiler}; one interface call per resolve. */
    static final class Compiled extends Node {
        private final GeneratedFactory factory;
        private final Node[] ext;
        private final String label;

        Compiled(GeneratedFactory factory, Node[] ext, String label) {
            this.factory = factory;
            this.ext = ext;
            this.label = label;
        }

        @Override
        public Object get(ScopeImpl s) {
            try {
                return factory.create(ext, s);
            } catch (Throwable t) {
                throw fail(label, t);
            }
        }
    }

    /**
     * General constructor: any arity, then member injection in JSR-330 order (per class, superclass first, fields
     * then methods), then {@code @PostConstruct}. Allocates one argument array per call with more than one argument.
     */
    static final class FullCtor extends Node {
        private final MethodHandle ctor;
        private final Node[] ctorDeps;
        private final MethodHandle[] members;
        private final Node[][] memberDeps;
        private final MethodHandle[] postConstruct;
        private final String label;

        FullCtor(MethodHandle ctor, Node[] ctorDeps, MethodHandle[] members, Node[][] memberDeps,
                 MethodHandle[] postConstruct, String label) {
            this.ctor = ctor;
            this.ctorDeps = ctorDeps;
            this.members = members;
            this.memberDeps = memberDeps;
            this.postConstruct = postConstruct;
            this.label = label;
        }

        @Override
        public Object get(ScopeImpl s) {
            try {
                Object instance = ctor.invokeExact(args(ctorDeps, s));
                injectMembers(instance, members, memberDeps, s);
                for (MethodHandle pc : postConstruct) {
                    pc.invokeExact(instance);
                }
                return instance;
            } catch (Throwable t) {
                throw fail(label, t);
            }
        }
    }

    /**
     * Calls member injectors in order; each is {@code (Object)void}, {@code (Object,Object)void} or
     * {@code (Object,Object[])void} by its number of dependencies (static members ignore the {@code null} instance).
     */
    static void injectMembers(Object instance, MethodHandle[] members, Node[][] deps, ScopeImpl s) throws Throwable {
        for (int i = 0; i < members.length; i++) {
            Node[] d = deps[i];
            switch (d.length) {
                case 0:
                    members[i].invokeExact(instance);
                    break;
                case 1:
                    members[i].invokeExact(instance, d[0].get(s));
                    break;
                default:
                    members[i].invokeExact(instance, args(d, s));
                    break;
            }
        }
    }

    private static Object[] args(Node[] deps, ScopeImpl s) {
        Object[] a = new Object[deps.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = deps[i].get(s);
        }
        return a;
    }

    /** Injects one class's requested static members; run once, when the container is built. */
    static final class StaticMembers extends Node {
        private final MethodHandle[] members;
        private final Node[][] deps;
        private final String label;

        StaticMembers(MethodHandle[] members, Node[][] deps, String label) {
            this.members = members;
            this.deps = deps;
            this.label = label;
        }

        /** @return the class's name, once its static members are injected */
        @Override
        public Object get(ScopeImpl s) {
            try {
                injectMembers(null, members, deps, s);
            } catch (DiException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new DiException("Injecting the " + label + " failed: " + t, t);
            }
            return label;
        }
    }

    /** An instance given at binding time. */
    static final class Constant extends Node {
        private final Object instance;

        Constant(Object instance) {
            this.instance = instance;
        }

        @Override
        public Object get(ScopeImpl s) {
            return instance;
        }
    }

    /** A provider function without dependencies. */
    static final class SupplierNode extends Node {
        private final Supplier<?> supplier;
        private final String label;

        SupplierNode(Supplier<?> supplier, String label) {
            this.supplier = supplier;
            this.label = label;
        }

        @Override
        public Object get(ScopeImpl s) {
            Object o;
            try {
                o = supplier.get();
            } catch (RuntimeException e) {
                throw fail(label, e);
            }
            if (o == null) {
                throw new DiException("The provider function of " + label + " returned null");
            }
            return o;
        }
    }

    /** A provider function with dependencies; allocates one argument array per call. */
    static final class FunctionNode extends Node {
        private final Function<Object[], Object> fn;
        private final Node[] deps;
        private final String label;

        FunctionNode(Function<Object[], Object> fn, Node[] deps, String label) {
            this.fn = fn;
            this.deps = deps;
            this.label = label;
        }

        @Override
        public Object get(ScopeImpl s) {
            Object[] a = args(deps, s);
            Object o;
            try {
                o = fn.apply(a);
            } catch (RuntimeException e) {
                throw fail(label, e);
            }
            if (o == null) {
                throw new DiException("The provider function of " + label + " returned null");
            }
            return o;
        }
    }

    /** A multibinding as an unmodifiable {@code List} or {@code Set}, in registration order. */
    static final class Collection extends Node {
        private final Node[] elements;
        private final boolean set;

        Collection(Node[] elements, boolean set) {
            this.elements = elements;
            this.set = set;
        }

        @Override
        public Object get(ScopeImpl s) {
            Object[] a = args(elements, s);
            if (!set) {
                return List.of(a);
            }
            return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(a)));
        }
    }

    /** Injects a {@link Provider} bound to the injection's context; allocates one provider inside a scope. */
    static final class ProviderOf extends Node {
        Node target;
        Provider<Object> rootProvider;
        String label;

        @Override
        public Object get(ScopeImpl s) {
            if (s == null) {
                return rootProvider;
            }
            return new ScopedProvider(target, s, label);
        }
    }

    /** A provider resolving at the container root. */
    static final class RootProvider implements Provider<Object> {
        private final Node target;

        RootProvider(Node target) {
            this.target = target;
        }

        @Override
        public Object get() {
            return target.get(null);
        }
    }

    /** A provider resolving in one scope. */
    static final class ScopedProvider implements Provider<Object> {
        private final Node target;
        private final ScopeImpl scope;
        private final String label;

        ScopedProvider(Node target, ScopeImpl scope, String label) {
            this.target = target;
            this.scope = scope;
            this.label = label;
        }

        /** @throws DiException once the scope or its container is closed, like {@link ScopeImpl#get} */
        @Override
        public Object get() {
            scope.ensureOpen(label);
            return target.get(scope);
        }
    }

    /**
     * Singleton: after creation, {@code get} is one volatile read. Creation is serialised on the container's
     * creation lock (so two singletons needing each other through providers cannot deadlock) and happens once.
     */
    static final class Singleton extends Node {
        private final Node creator;
        private final ContainerState container;
        private final Lifecycle lifecycle;
        private final String label;
        private volatile Object instance;
        private boolean creating;
        ClassTable table;
        int[] tableSlots;

        Singleton(Node creator, ContainerState container, Lifecycle lifecycle, String label) {
            this.creator = creator;
            this.container = container;
            this.lifecycle = lifecycle;
            this.label = label;
        }

        @Override
        public Object get(ScopeImpl s) {
            Object i = instance;
            return i != null ? i : create();
        }

        private Object create() {
            ReentrantLock lock = container.creationLock;
            lock.lock();
            try {
                Object i = instance;
                if (i != null) {
                    return i;
                }
                container.ensureOpen(label);
                if (creating) {
                    throw new DiException("Singleton " + label + " was requested while it is being created: a cycle"
                            + " broken by a Provider is being closed inside a constructor; call the Provider later");
                }
                creating = true;
                try {
                    i = creator.get(null);
                } finally {
                    creating = false;
                }
                if (lifecycle != null) {
                    container.track(i, lifecycle, label);
                }
                instance = i;
                if (table != null) {
                    table.publish(tableSlots, i);
                }
                return i;
            } finally {
                lock.unlock();
            }
        }

        void clear() {
            instance = null;
        }
    }

    /** Scoped: one slot of the scope's array, indexed by a number assigned at build. */
    static final class Scoped extends Node {
        final Node creator;
        final int slot;
        final Lifecycle lifecycle;
        final String label;

        Scoped(Node creator, int slot, Lifecycle lifecycle, String label) {
            this.creator = creator;
            this.slot = slot;
            this.lifecycle = lifecycle;
            this.label = label;
        }

        @Override
        public Object get(ScopeImpl s) {
            if (s == null) {
                throw new DiException(label + " is scoped: resolve it from a Scope (container.openScope()),"
                        + " not from the container");
            }
            Object o = SLOTS.getAcquire(s.slots, slot);
            if (o != null && o != CREATING) {
                return o;
            }
            return s.create(this);
        }
    }
}
