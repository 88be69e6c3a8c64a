package io.vela.di.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.vela.di.Container;
import io.vela.di.ContainerValidationException;
import io.vela.di.DiException;
import io.vela.di.Key;
import io.vela.di.Lifetime;
import io.vela.di.Module;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a container in four steps: declare (run the modules), resolve (link every dependency, adding just-in-time
 * bindings for concrete {@code @Inject} classes), validate (missing bindings with their chain, cycles, captive
 * dependencies, ambiguities; all errors together) and compile (one node per binding, method handles adapted once).
 * Build time only, single thread.
 */
public final class ContainerFactory {
    private static final Logger LOG = LoggerFactory.getLogger(Container.class);

    private final List<Module> modules;
    private final boolean eagerSingletons;
    private final Map<Key<?>, Binding> bindings = new LinkedHashMap<>();
    private final List<Binding> all = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<Object[]> missing = new ArrayList<>();
    private final List<Binding> statics = new ArrayList<>(0);
    private final Set<Class<?>> staticRequested = new HashSet<>();

    /**
     * @param modules         the modules, in install order
     * @param eagerSingletons true to create every singleton at build
     */
    public ContainerFactory(List<Module> modules, boolean eagerSingletons) {
        this.modules = modules;
        this.eagerSingletons = eagerSingletons;
    }

    /** @return the validated, compiled container */
    public Container build() {
        long start = System.nanoTime();
        BinderImpl binder = new BinderImpl();
        for (Module m : modules) {
            binder.install(m);
        }
        declare(binder);
        resolve();
        reportMissing();
        checkCycles();
        checkCaptive();
        if (!errors.isEmpty()) {
            throw new ContainerValidationException(errors);
        }
        ContainerImpl container = compile(new ContainerState());
        start(container);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Built container: {} bindings ({} just-in-time) in {} µs", all.size(),
                    all.stream().filter(b -> b.jit).count(), (System.nanoTime() - start) / 1000);
        }
        return container;
    }

    // ---------------------------------------------------------------- declare

    private void declare(BinderImpl binder) {
        declareStatics(binder.staticInjections);
        Map<Key<?>, List<Decl>> byKey = new LinkedHashMap<>();
        for (Decl d : binder.decls) {
            if (d.misuse() != null) {
                errors.add(d.misuse());
            }
            byKey.computeIfAbsent(d.key, k -> new ArrayList<>(1)).add(d);
        }
        for (Map.Entry<Key<?>, List<Decl>> e : byKey.entrySet()) {
            List<Decl> ds = e.getValue();
            if (ds.size() > 1) {
                errors.add("Ambiguous binding for " + e.getKey() + ": bound " + ds.size() + " times ("
                        + ds.stream().map(d -> "in " + d.origin + ": " + d.describe()).collect(Collectors.joining("; "))
                        + "); keep one, or tell them apart with a qualifier");
            }
            Binding b = fromDecl(ds.get(0));
            if (b != null) {
                add(b);
            }
        }
        for (Map.Entry<Key<?>, List<Decl>> e : binder.multis.entrySet()) {
            declareMulti(e.getKey(), e.getValue());
        }
    }

    /**
     * One pseudo-binding per class whose static members were requested (supertypes first, each class once); its
     * dependencies are resolved and validated like a singleton's, and it is injected right after compile.
     */
    private void declareStatics(Map<Class<?>, String> requests) {
        for (Map.Entry<Class<?>, String> e : requests.entrySet()) {
            for (Class<?> k : ClassAnalyzer.hierarchy(e.getKey())) {
                if (staticRequested.contains(k)) {
                    continue;
                }
                staticRequested.add(k);
                ClassAnalyzer.Plan plan = ClassAnalyzer.staticPlan(k);
                if (plan.members.length == 0 && plan.errors.isEmpty()) {
                    continue;
                }
                Binding b = new Binding(Key.of(k), "static members of " + Types.toString(k),
                        Binding.Kind.STATIC_MEMBERS, e.getValue());
                b.lifetime = Lifetime.SINGLETON;
                b.impl = k;
                for (Binding.Dep d : plan.deps) {
                    b.deps.add(new Binding.Dep(d.key, d.provider, d.where));
                }
                errors.addAll(plan.errors);
                b.plan = plan;
                statics.add(b);
                all.add(b);
            }
        }
    }

    private void add(Binding b) {
        bindings.put(b.key, b);
        all.add(b);
    }

    private Binding fromDecl(Decl d) {
        switch (d.kind) {
            case SELF:
                if (d.key.isQualified() || !(d.key.type() instanceof Class)) {
                    errors.add("Binding for " + d.key + " (in " + d.origin + ") has no target: call to(),"
                            + " toInstance() or toProvider()");
                    return null;
                }
                return classBinding(d.key, d.key.rawType(), d.lifetime, d.eager, d.origin);
            case CLASS:
                boolean self = !d.key.isQualified() && d.impl == d.key.type();
                if (d.lifetime == null && !self) {
                    Binding alias = new Binding(d.key, d.key.toString(), Binding.Kind.ALIAS, d.origin);
                    alias.deps.add(new Binding.Dep(Key.of(d.impl), false, "the target of " + d.key));
                    return alias;
                }
                return classBinding(d.key, d.impl, d.lifetime, d.eager, d.origin);
            case INSTANCE: {
                Binding b = new Binding(d.key, d.key.toString(), Binding.Kind.INSTANCE, d.origin);
                if (d.lifetime != null && d.lifetime != Lifetime.SINGLETON) {
                    errors.add("Instance binding for " + d.key + " (in " + d.origin + ") cannot be " + d.lifetime
                            + ": an instance is one object");
                }
                b.instance = d.instance;
                b.lifetime = Lifetime.SINGLETON;
                return b;
            }
            case SUPPLIER: {
                Binding b = new Binding(d.key, d.key.toString(), Binding.Kind.SUPPLIER, d.origin);
                b.supplier = d.supplier;
                setLifetime(b, d.lifetime == null ? Lifetime.TRANSIENT : d.lifetime, d.eager);
                return b;
            }
            default: {
                Binding b = new Binding(d.key, d.key.toString(), Binding.Kind.FUNCTION, d.origin);
                b.fn = d.fn;
                for (int i = 0; i < d.fnDeps.size(); i++) {
                    b.deps.add(new Binding.Dep(d.fnDeps.get(i), false,
                            "parameter " + i + " of the provider function of " + d.key));
                }
                setLifetime(b, d.lifetime == null ? Lifetime.TRANSIENT : d.lifetime, d.eager);
                return b;
            }
        }
    }

    private Binding classBinding(Key<?> key, Class<?> impl, Lifetime explicit, boolean eager, String origin) {
        Binding b = new Binding(key, key.toString(), Binding.Kind.CLASS, origin);
        b.impl = impl;
        // an explicit lifetime wins over (and silences) the class's scope annotations
        Lifetime declared = explicit != null ? explicit : ClassAnalyzer.declaredLifetime(impl, errors);
        setLifetime(b, declared != null ? declared : Lifetime.TRANSIENT, eager);
        ClassAnalyzer.analyze(b, impl, errors);
        if (LOG.isDebugEnabled()) {
            if (b.lifetime == Lifetime.TRANSIENT && b.lifecycle != null) {
                LOG.debug("{} is transient and has destroy callbacks; the container does not track transients,"
                        + " so it will not destroy them", b.label);
            }
            logIgnoredStatics(impl);
        }
        return b;
    }

    /** Static members nobody asked for are left alone (JSR-330 makes static injection optional): say so, once. */
    private void logIgnoredStatics(Class<?> impl) {
        for (Class<?> k : ClassAnalyzer.hierarchy(impl)) {
            if (!staticRequested.contains(k) && ClassAnalyzer.hasStaticMembers(k) && staticLogged.add(k)) {
                LOG.debug("@Inject static members of {} are not injected: request them with"
                        + " binder.requestStaticInjection({}.class)", Types.toString(k), k.getSimpleName());
            }
        }
    }

    private final Set<Class<?>> staticLogged = new HashSet<>(0);

    private void setLifetime(Binding b, Lifetime lifetime, boolean eager) {
        b.lifetime = lifetime;
        b.eager = eager || (eagerSingletons && lifetime == Lifetime.SINGLETON);
        if (eager && lifetime != Lifetime.SINGLETON) {
            errors.add(b.label + " is eager but " + lifetime + ": only singletons can be eager");
        }
    }

    private void declareMulti(Key<?> elementKey, List<Decl> decls) {
        Key<?> listKey = Key.listOf(elementKey);
        Key<?> setKey = Key.setOf(elementKey);
        Binding list = new Binding(listKey, listKey.toString(), Binding.Kind.LIST, "multibinding");
        Binding set = new Binding(setKey, setKey.toString(), Binding.Kind.SET, "multibinding");
        for (int i = 0; i < decls.size(); i++) {
            Decl d = decls.get(i);
            String where = "element " + i + " of multibinding " + listKey;
            Binding.Dep dep;
            if (d.kind == Decl.Kind.CLASS) {
                dep = new Binding.Dep(Key.of(d.impl), false, where);
            } else {
                String label = listKey + "[" + i + "]";
                Binding element = new Binding(elementKey, label,
                        d.kind == Decl.Kind.INSTANCE ? Binding.Kind.INSTANCE : Binding.Kind.SUPPLIER, d.origin);
                element.instance = d.instance;
                element.supplier = d.supplier;
                element.lifetime = d.kind == Decl.Kind.INSTANCE ? Lifetime.SINGLETON : Lifetime.TRANSIENT;
                all.add(element);
                dep = new Binding.Dep(elementKey, false, where);
                dep.target = element;
            }
            list.deps.add(dep);
            Binding.Dep copy = new Binding.Dep(dep.key, false, where);
            copy.target = dep.target;
            set.deps.add(copy);
        }
        for (Binding b : List.of(list, set)) {
            if (bindings.containsKey(b.key)) {
                errors.add("Ambiguous binding for " + b.key + ": it is both bound explicitly (in "
                        + bindings.get(b.key).origin + ") and a multibinding; keep one");
            } else {
                add(b);
            }
        }
    }

    // ---------------------------------------------------------------- resolve

    private void resolve() {
        Deque<Binding> work = new ArrayDeque<>(all);
        while (!work.isEmpty()) {
            Binding b = work.poll();
            for (Binding.Dep dep : b.deps) {
                if (dep.target != null) {
                    continue;
                }
                Binding t = bindings.get(dep.key);
                if (t == null && !dep.key.isQualified() && dep.key.type() instanceof Class
                        && ClassAnalyzer.isJitCandidate(dep.key.rawType())) {
                    t = classBinding(dep.key, dep.key.rawType(), null, false, "just-in-time binding");
                    t.jit = true;
                    add(t);
                    work.add(t);
                }
                if (t == null) {
                    missing.add(new Object[] {b, dep});
                } else {
                    dep.target = t;
                }
            }
        }
    }

    // ---------------------------------------------------------------- validate

    private void reportMissing() {
        if (missing.isEmpty()) {
            return;
        }
        Map<Binding, List<Binding>> dependents = new IdentityHashMap<>();
        for (Binding b : all) {
            for (Binding.Dep d : b.deps) {
                if (d.target != null) {
                    dependents.computeIfAbsent(d.target, k -> new ArrayList<>(2)).add(b);
                }
            }
        }
        Map<Key<?>, List<Object[]>> byKey = new LinkedHashMap<>();
        for (Object[] m : missing) {
            byKey.computeIfAbsent(((Binding.Dep) m[1]).key, k -> new ArrayList<>()).add(m);
        }
        for (Map.Entry<Key<?>, List<Object[]>> e : byKey.entrySet()) {
            Binding requirer = (Binding) e.getValue().get(0)[0];
            Binding.Dep dep = (Binding.Dep) e.getValue().get(0)[1];
            List<Binding> chain = new ArrayList<>();
            chain.add(requirer);
            Binding cur = requirer;
            while (true) {
                Binding next = null;
                for (Binding d : dependents.getOrDefault(cur, List.of())) {
                    if (!chain.contains(d)) {
                        next = d;
                        break;
                    }
                }
                if (next == null) {
                    break;
                }
                chain.add(next);
                cur = next;
            }
            StringBuilder sb = new StringBuilder("Missing binding for ").append(e.getKey()).append(": ")
                    .append(e.getKey());
            for (Binding b : chain) {
                sb.append(" ← ").append(b.label);
            }
            sb.append(" (").append(dep.provider ? "Provider at " : "").append(dep.where).append(')');
            if (e.getValue().size() > 1) {
                sb.append("; also needed by ").append(e.getValue().stream().skip(1)
                        .map(m -> ((Binding) m[0]).label).distinct().collect(Collectors.joining(", ")));
            }
            sb.append(Suggestions.didYouMean(e.getKey(), bindings.keySet()));
            errors.add(sb.toString());
        }
    }

    private void checkCycles() {
        Set<String> seen = new HashSet<>();
        List<Binding> stack = new ArrayList<>();
        for (Binding b : all) {
            if (b.color == 0) {
                dfs(b, stack, seen);
            }
        }
    }

    private void dfs(Binding b, List<Binding> stack, Set<String> seen) {
        b.color = 1;
        stack.add(b);
        for (Binding.Dep d : b.deps) {
            Binding t = d.target;
            if (d.provider || t == null) {
                continue;
            }
            if (t.color == 1) {
                List<Binding> cycle = new ArrayList<>(stack.subList(stack.indexOf(t), stack.size()));
                String id = cycle.stream().map(x -> Integer.toString(System.identityHashCode(x))).sorted()
                        .collect(Collectors.joining(","));
                if (seen.add(id)) {
                    cycle.add(t);
                    errors.add("Dependency cycle: " + cycle.stream().map(x -> x.label).collect(Collectors.joining(" → "))
                            + ". Break it by injecting a Provider<...> on one of these edges");
                }
            } else if (t.color == 0) {
                dfs(t, stack, seen);
            }
        }
        stack.remove(stack.size() - 1);
        b.color = 2;
    }

    private void checkCaptive() {
        Map<Binding, List<Binding>> memo = new IdentityHashMap<>();
        for (Binding b : all) {
            boolean made = b.kind == Binding.Kind.CLASS || b.kind == Binding.Kind.SUPPLIER
                    || b.kind == Binding.Kind.FUNCTION || b.kind == Binding.Kind.STATIC_MEMBERS;
            if (!made || b.lifetime != Lifetime.SINGLETON) {
                continue;
            }
            for (Binding.Dep d : b.deps) {
                if (d.target == null) {
                    continue;
                }
                List<Binding> path = scopePath(d.target, memo, new HashSet<>());
                if (path != null) {
                    Binding scoped = path.get(path.size() - 1);
                    if (b.kind == Binding.Kind.STATIC_MEMBERS) {
                        errors.add("Captive dependency: " + b.label + " depend on scoped " + scoped.label
                                + (d.provider ? " through a Provider" : "") + " (" + b.label + " → "
                                + path.stream().map(x -> x.label).collect(Collectors.joining(" → "))
                                + "); static members outlive every scope. Resolve " + scoped.label
                                + " from the Scope where it is used");
                        break;
                    }
                    errors.add("Captive dependency: singleton " + b.label + " depends on scoped " + scoped.label
                            + (d.provider ? " through a Provider" : "") + " (" + b.label + " → "
                            + path.stream().map(x -> x.label).collect(Collectors.joining(" → "))
                            + "); a singleton outlives every scope. Make " + b.label + " scoped, or resolve "
                            + scoped.label + " from the Scope where it is used");
                    break;
                }
            }
        }
    }

    private static final List<Binding> NONE = List.of();

    private List<Binding> scopePath(Binding t, Map<Binding, List<Binding>> memo, Set<Binding> visiting) {
        List<Binding> known = memo.get(t);
        if (known != null) {
            return known == NONE ? null : known;
        }
        if (t.lifetime == Lifetime.SCOPED && t.kind != Binding.Kind.ALIAS) {
            List<Binding> p = List.of(t);
            memo.put(t, p);
            return p;
        }
        if (t.lifetime == Lifetime.SINGLETON || !visiting.add(t)) {
            return null;
        }
        for (Binding.Dep d : t.deps) {
            if (d.target == null) {
                continue;
            }
            List<Binding> p = scopePath(d.target, memo, visiting);
            if (p != null) {
                List<Binding> out = new ArrayList<>(p.size() + 1);
                out.add(t);
                out.addAll(p);
                memo.put(t, out);
                return out;
            }
        }
        memo.put(t, NONE);
        return null;
    }

    // ---------------------------------------------------------------- compile

    private int slots;
    private final List<Nodes.Singleton> singletons = new ArrayList<>();
    private final List<Object[]> providers = new ArrayList<>();

    private ContainerImpl compile(ContainerState c) {
        for (Binding b : all) {
            if (b.kind != Binding.Kind.STATIC_MEMBERS) {
                node(b, c);
            }
        }
        for (Binding b : statics) {
            b.node = new Nodes.StaticMembers(b.plan.members, memberDeps(b, 0, c), b.label);
        }
        for (Object[] p : providers) {
            Nodes.ProviderOf po = (Nodes.ProviderOf) p[0];
            po.target = node((Binding) p[1], c);
            po.rootProvider = new Nodes.RootProvider(po.target);
            po.label = ((Binding) p[1]).label;
        }
        Map<Class<?>, Node> classes = new HashMap<>();
        Map<Key<?>, Node> byKey = new HashMap<>();
        for (Binding b : bindings.values()) {
            byKey.put(b.key, b.node);
            if (!b.key.isQualified() && b.key.type() instanceof Class) {
                classes.put((Class<?>) b.key.type(), b.node);
            }
        }
        ClassTable table = new ClassTable(classes);
        for (Node n : classes.values()) {
            if (n instanceof Nodes.CtorNode) {
                ((Nodes.CtorNode) n).table = table;
            } else if (n instanceof Nodes.Singleton) {
                ((Nodes.Singleton) n).table = table;
                ((Nodes.Singleton) n).tableSlots = table.slotsOf(n);
            } else if (n instanceof Nodes.Constant) {
                table.publish(table.slotsOf(n), n.get(null));
            }
        }
        return new ContainerImpl(c, table, byKey, singletons, slots, List.copyOf(bindings.keySet()));
    }

    private Node node(Binding b, ContainerState c) {
        if (b.node != null) {
            return b.node;
        }
        if (b.compiling) {
            throw new IllegalStateException("cycle while compiling " + b.label);
        }
        b.compiling = true;
        Node n;
        switch (b.kind) {
            case ALIAS:
                n = node(b.deps.get(0).target, c);
                break;
            case INSTANCE:
                n = new Nodes.Constant(b.instance);
                break;
            case SUPPLIER:
                n = wrap(b, new Nodes.SupplierNode(b.supplier, b.label), c);
                break;
            case FUNCTION:
                n = wrap(b, new Nodes.FunctionNode(b.fn, depNodes(b, 0, b.deps.size(), c), b.label), c);
                break;
            case LIST:
            case SET:
                n = new Nodes.Collection(depNodes(b, 0, b.deps.size(), c), b.kind == Binding.Kind.SET);
                break;
            default:
                n = wrap(b, creator(b, c), c);
                break;
        }
        b.node = n;
        return n;
    }

    private Node[] depNodes(Binding b, int from, int to, ContainerState c) {
        Node[] out = new Node[to - from];
        for (int i = from; i < to; i++) {
            Binding.Dep d = b.deps.get(i);
            if (d.provider) {
                Nodes.ProviderOf p = new Nodes.ProviderOf();
                providers.add(new Object[] {p, d.target});
                out[i - from] = p;
            } else {
                out[i - from] = node(d.target, c);
            }
        }
        return out;
    }

    private Node creator(Binding b, ContainerState c) {
        ClassAnalyzer.Plan plan = b.plan;
        int arity = plan.ctorArity;
        Node[] ctorDeps = depNodes(b, 0, arity, c);
        if (plan.fastCtor()) {
            switch (arity) {
                case 0: return new Nodes.Ctor0(plan.ctor, plan.constructor, ctorDeps, b.label);
                case 1: return new Nodes.Ctor1(plan.ctor, plan.constructor, ctorDeps, b.label);
                case 2: return new Nodes.Ctor2(plan.ctor, plan.constructor, ctorDeps, b.label);
                case 3: return new Nodes.Ctor3(plan.ctor, plan.constructor, ctorDeps, b.label);
                default: return new Nodes.Ctor4(plan.ctor, plan.constructor, ctorDeps, b.label);
            }
        }
        return new Nodes.FullCtor(plan.ctor, ctorDeps, plan.members, memberDeps(b, arity, c), plan.postConstruct,
                b.label);
    }

    /** @return the dependency nodes of each member of the plan, sliced from the binding's deps starting at {@code pos} */
    private Node[][] memberDeps(Binding b, int pos, ContainerState c) {
        int[] arities = b.plan.memberArities;
        Node[][] out = new Node[arities.length][];
        for (int i = 0; i < arities.length; i++) {
            out[i] = depNodes(b, pos, pos + arities[i], c);
            pos += arities[i];
        }
        return out;
    }

    private Node wrap(Binding b, Node creator, ContainerState c) {
        switch (b.lifetime) {
            case SINGLETON: {
                Nodes.Singleton s = new Nodes.Singleton(creator, c, b.lifecycle, b.label);
                singletons.add(s);
                return s;
            }
            case SCOPED:
                return new Nodes.Scoped(creator, slots++, b.lifecycle, b.label);
            default:
                return creator;
        }
    }

    /** Start-up work, in order: requested static members, then eager singletons. */
    private void start(ContainerImpl c) {
        for (Binding b : statics) {
            startOne(c, b, "injecting the " + b.label);
        }
        for (Binding b : all) {
            if (b.eager) {
                startOne(c, b, "creating eager singleton " + b.label);
            }
        }
    }

    private static void startOne(ContainerImpl c, Binding b, String what) {
        try {
            b.node.get(null);
        } catch (RuntimeException e) {
            try {
                c.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw new DiException("Start-up failed " + what + "; the singletons already created were destroyed: "
                    + e.getMessage(), e);
        }
    }
}
