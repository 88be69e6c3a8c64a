package io.vela.di.internal;

import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vela.di.DiException;
import io.vela.di.Key;
import io.vela.di.Lifetime;
import io.vela.di.Scoped;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

/**
 * Reads a class once, at build: its injectable constructor, {@code @Inject} fields and methods, lifecycle methods,
 * scope annotation; turns them into method handles adapted to erased exact types. Build time only.
 */
final class ClassAnalyzer {
    static final int MAX_FAST_ARITY = 4;

    private ClassAnalyzer() {
    }

    /** @return true if the class may be bound just in time: concrete, not a JDK type, with an injectable constructor */
    static boolean isJitCandidate(Class<?> c) {
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers()) || c.isPrimitive() || c.isArray()
                || c.isEnum() || c.isAnnotation() || (c.isMemberClass() && !Modifier.isStatic(c.getModifiers()))) {
            return false;
        }
        String n = c.getName();
        if (n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jakarta.") || n.startsWith("jdk.")
                || n.startsWith("sun.") || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (k.isAnnotationPresent(Inject.class)
                    || (k.getParameterCount() == 0 && !Modifier.isPrivate(k.getModifiers()))) {
                return true;
            }
        }
        return false;
    }

    /** @return the lifetime a class declares by annotation, or {@code null} */
    static Lifetime declaredLifetime(Class<?> c, List<String> errors) {
        Lifetime found = null;
        List<String> names = new ArrayList<>(1);
        for (Annotation a : c.getAnnotations()) {
            Class<? extends Annotation> t = a.annotationType();
            if (!t.isAnnotationPresent(jakarta.inject.Scope.class)) {
                continue;
            }
            names.add("@" + t.getSimpleName());
            if (t == Singleton.class) {
                found = Lifetime.SINGLETON;
            } else if (t == Scoped.class) {
                found = Lifetime.SCOPED;
            } else {
                errors.add("Unsupported scope annotation @" + t.getSimpleName() + " on " + Types.toString(c)
                        + ": use @Singleton, @Scoped or bind(...).in(Lifetime)");
            }
        }
        if (names.size() > 1) {
            errors.add("Ambiguous lifetime: " + Types.toString(c) + " has " + String.join(" and ", names));
        }
        return found;
    }

    /** Fills the construction plan of a CLASS binding from the class's (cached) {@link Plan}. */
    static void analyze(Binding b, Class<?> c, List<String> errors) {
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            errors.add(Types.toString(c) + " is " + (c.isInterface() ? "an interface" : "abstract")
                    + " and cannot be constructed (bound as " + b.label + " in " + b.origin
                    + "): bind it to an implementation");
            return;
        }
        Plan plan = PLANS.get(c);
        for (Binding.Dep d : plan.deps) {
            b.deps.add(new Binding.Dep(d.key, d.provider, d.where));
        }
        if (!plan.errors.isEmpty()) {
            errors.addAll(plan.errors);
            return;
        }
        b.plan = plan;
        b.lifecycle = plan.lifecycle;
    }

    /** @return the static-injection plan of the class's own static members (not its supertypes') */
    static Plan staticPlan(Class<?> c) {
        return STATIC_PLANS.get(c);
    }

    /** @return true if the class itself declares {@code @Inject} static fields or methods */
    static boolean hasStaticMembers(Class<?> c) {
        Plan p = STATIC_PLANS.get(c);
        return p.members.length > 0 || !p.errors.isEmpty();
    }

    /**
     * Analysis is pure reflection over a class, so its result is kept per class for the life of the class (a
     * {@link ClassValue} does not keep the class loader alive): the second container of the same classes reuses the
     * method handles and dependency lists of the first.
     */
    private static final ClassValue<Plan> PLANS = new ClassValue<>() {
        @Override
        protected Plan computeValue(Class<?> type) {
            return instancePlan(type);
        }
    };

    private static final ClassValue<Plan> STATIC_PLANS = new ClassValue<>() {
        @Override
        protected Plan computeValue(Class<?> type) {
            return staticMembersPlan(type);
        }
    };

    /**
     * How one class is built and injected, or how its static members are; immutable, shared between containers.
     * {@link #deps} are templates in injection order: constructor parameters, then each member's parameters.
     */
    static final class Plan {
        final List<String> errors;
        final List<Binding.Dep> deps;
        final int ctorArity;
        /** Erased to {@code (Object...)Object}; spread over an {@code Object[]} unless {@link #fastCtor}. */
        final MethodHandle ctor;
        final Constructor<?> constructor;
        /** In injection order; by arity {@code (Object)void}, {@code (Object,Object)void} or {@code (Object,Object[])void}. */
        final MethodHandle[] members;
        final int[] memberArities;
        final MethodHandle[] postConstruct;
        final Lifecycle lifecycle;

        Plan(List<String> errors, List<Binding.Dep> deps, int ctorArity, MethodHandle ctor, Constructor<?> constructor,
             List<MethodHandle> members, List<Integer> memberArities, List<MethodHandle> postConstruct,
             Lifecycle lifecycle) {
            this.errors = List.copyOf(errors);
            this.deps = List.copyOf(deps);
            this.ctorArity = ctorArity;
            this.ctor = ctor;
            this.constructor = constructor;
            this.members = members.toArray(new MethodHandle[0]);
            this.memberArities = memberArities.stream().mapToInt(Integer::intValue).toArray();
            this.postConstruct = postConstruct.toArray(new MethodHandle[0]);
            this.lifecycle = lifecycle;
        }

        /** @return true if the constructor handle takes its arguments directly (no members, no callbacks, arity ≤ 4) */
        boolean fastCtor() {
            return ctorArity <= MAX_FAST_ARITY && members.length == 0 && postConstruct.length == 0;
        }
    }

    private static Plan instancePlan(Class<?> c) {
        List<String> errors = new ArrayList<>(0);
        List<Binding.Dep> deps = new ArrayList<>();
        String name = Types.toString(c);
        if (c.isMemberClass() && !Modifier.isStatic(c.getModifiers())) {
            errors.add(name + " is an inner class: make it static to inject it");
            return new Plan(errors, deps, 0, null, null, List.of(), List.of(), List.of(), null);
        }
        List<Constructor<?>> injectCtors = new ArrayList<>(1);
        Constructor<?> noArg = null;
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (k.isAnnotationPresent(Inject.class)) {
                injectCtors.add(k);
            } else if (k.getParameterCount() == 0 && !Modifier.isPrivate(k.getModifiers())) {
                noArg = k;
            }
        }
        Constructor<?> ctor;
        if (injectCtors.size() > 1) {
            errors.add("Ambiguous constructor: " + name + " has " + injectCtors.size()
                    + " @Inject constructors; annotate exactly one");
            return new Plan(errors, deps, 0, null, null, List.of(), List.of(), List.of(), null);
        } else if (injectCtors.size() == 1) {
            ctor = injectCtors.get(0);
        } else if (noArg != null) {
            ctor = noArg;
        } else {
            errors.add(name + " has no @Inject constructor and no non-private no-arg constructor");
            return new Plan(errors, deps, 0, null, null, List.of(), List.of(), List.of(), null);
        }
        Parameter[] params = ctor.getParameters();
        for (int i = 0; i < params.length; i++) {
            Binding.Dep d = dep(params[i].getParameterizedType(), params[i].getAnnotations(),
                    "constructor parameter " + i + " of " + name, errors);
            if (d != null) {
                deps.add(d);
            }
        }
        List<MethodHandle> members = new ArrayList<>(0);
        List<Integer> arities = new ArrayList<>(0);
        List<MethodHandle> postConstruct = new ArrayList<>(0);
        List<Method> preDestroy = new ArrayList<>(0);
        boolean preDestroyIsClose = false;
        MethodHandle mh = null;
        try {
            // JSR-330 order: per class, superclass first, that class's fields then its methods; a method overridden
            // by a subclass declaration (JLS rules) is injected only there, and only if that declaration has @Inject
            List<Class<?>> hierarchy = hierarchy(c);
            List<Map<Sig, List<Class<?>>>> overriders = overriders(hierarchy);
            for (int ci = 0; ci < hierarchy.size(); ci++) {
                Class<?> k = hierarchy.get(ci);
                // only classes with something to inject need access (a JDK superclass is not open to us)
                MethodHandles.Lookup lookup = null;
                for (Field f : k.getDeclaredFields()) {
                    if (!f.isAnnotationPresent(Inject.class) || Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    if (Modifier.isFinal(f.getModifiers())) {
                        errors.add("@Inject field " + Types.toString(k) + "." + f.getName() + " is final: it cannot"
                                + " be injected");
                        continue;
                    }
                    if (addDep(f.getGenericType(), f.getAnnotations(), "field " + Types.toString(k) + "."
                            + f.getName(), deps, errors)) {
                        lookup = lookup != null ? lookup : lookup(k);
                        members.add(lookup.unreflectSetter(f).asType(SETTER));
                        arities.add(1);
                    }
                }
                for (Method m : k.getDeclaredMethods()) {
                    if (m.isSynthetic() || m.isBridge() || Modifier.isStatic(m.getModifiers())
                            || overridden(m, ci, hierarchy, overriders)) {
                        continue;
                    }
                    if (m.isAnnotationPresent(Inject.class) && !Modifier.isAbstract(m.getModifiers())) {
                        if (addMethodDeps(k, m, deps, errors)) {
                            lookup = lookup != null ? lookup : lookup(k);
                            members.add(memberHandle(lookup.unreflect(m), m.getParameterCount()));
                            arities.add(m.getParameterCount());
                        }
                    }
                    if (m.isAnnotationPresent(PostConstruct.class)) {
                        lookup = lookup != null ? lookup : lookup(k);
                        MethodHandle h = lifecycleHandle(lookup, m, "@PostConstruct", errors);
                        if (h != null) {
                            postConstruct.add(h);
                        }
                    }
                    if (m.isAnnotationPresent(PreDestroy.class)) {
                        preDestroy.add(0, m);
                        preDestroyIsClose |= m.getName().equals("close") && m.getParameterCount() == 0;
                    }
                }
            }
            List<MethodHandle> pd = new ArrayList<>(preDestroy.size());
            for (Method m : preDestroy) {
                MethodHandle h = lifecycleHandle(lookup(m.getDeclaringClass()), m, "@PreDestroy", errors);
                if (h != null) {
                    pd.add(h);
                }
            }
            boolean close = AutoCloseable.class.isAssignableFrom(c) && !preDestroyIsClose;
            Lifecycle lifecycle = !pd.isEmpty() || close ? new Lifecycle(pd, close) : null;
            if (errors.isEmpty()) {
                mh = lookup(c).unreflectConstructor(ctor).asType(MethodType.genericMethodType(params.length));
                if (params.length > MAX_FAST_ARITY || !members.isEmpty() || !postConstruct.isEmpty()) {
                    mh = mh.asSpreader(Object[].class, params.length);
                }
            }
            return new Plan(errors, deps, params.length, mh, ctor, members, arities, postConstruct, lifecycle);
        } catch (IllegalAccessException e) {
            errors.add("Cannot access " + name + " for injection: " + e.getMessage()
                    + " (open its package to the vela-di module)");
            return new Plan(errors, deps, params.length, null, ctor, List.of(), List.of(), List.of(), null);
        }
    }

    /** The class's own {@code @Inject} static fields, then its {@code @Inject} static methods (never overridden). */
    private static Plan staticMembersPlan(Class<?> k) {
        List<String> errors = new ArrayList<>(0);
        List<Binding.Dep> deps = new ArrayList<>(0);
        List<MethodHandle> members = new ArrayList<>(0);
        List<Integer> arities = new ArrayList<>(0);
        String name = Types.toString(k);
        try {
            MethodHandles.Lookup lookup = null;
            for (Field f : k.getDeclaredFields()) {
                if (!f.isAnnotationPresent(Inject.class) || !Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                if (Modifier.isFinal(f.getModifiers())) {
                    errors.add("@Inject static field " + name + "." + f.getName() + " is final: it cannot be injected");
                    continue;
                }
                lookup = lookup != null ? lookup : lookup(k);
                if (addDep(f.getGenericType(), f.getAnnotations(), "static field " + name + "." + f.getName(), deps,
                        errors)) {
                    members.add(MethodHandles.dropArguments(lookup.unreflectSetter(f), 0, Object.class)
                            .asType(SETTER));
                    arities.add(1);
                }
            }
            for (Method m : k.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(Inject.class) || !Modifier.isStatic(m.getModifiers()) || m.isSynthetic()) {
                    continue;
                }
                lookup = lookup != null ? lookup : lookup(k);
                if (addMethodDeps(k, m, deps, errors)) {
                    members.add(memberHandle(MethodHandles.dropArguments(lookup.unreflect(m), 0, Object.class),
                            m.getParameterCount()));
                    arities.add(m.getParameterCount());
                }
            }
        } catch (IllegalAccessException e) {
            errors.add("Cannot access " + name + " for static injection: " + e.getMessage()
                    + " (open its package to the vela-di module)");
        }
        return new Plan(errors, deps, 0, null, null, members, arities, List.of(), null);
    }

    private static final MethodType SETTER = MethodType.methodType(void.class, Object.class, Object.class);

    /** @return {@code (Object)void}, {@code (Object,Object)void} or {@code (Object,Object[])void} by arity */
    private static MethodHandle memberHandle(MethodHandle h, int arity) {
        MethodHandle erased = h.asType(MethodType.genericMethodType(arity + 1).changeReturnType(void.class));
        return arity <= 1 ? erased : erased.asSpreader(Object[].class, arity);
    }

    private static boolean addDep(Type type, Annotation[] annotations, String where, List<Binding.Dep> deps,
                                  List<String> errors) {
        Binding.Dep d = dep(type, annotations, where, errors);
        if (d != null) {
            deps.add(d);
        }
        return d != null;
    }

    private static boolean addMethodDeps(Class<?> k, Method m, List<Binding.Dep> deps, List<String> errors) {
        boolean ok = true;
        Parameter[] mp = m.getParameters();
        for (int i = 0; i < mp.length; i++) {
            ok &= addDep(mp[i].getParameterizedType(), mp[i].getAnnotations(), "parameter " + i + " of "
                    + (Modifier.isStatic(m.getModifiers()) ? "static " : "") + "method " + Types.toString(k) + "."
                    + m.getName(), deps, errors);
        }
        return ok;
    }

    /** @return the superclasses of {@code c} and {@code c} itself, superclass first, without {@code Object} */
    static List<Class<?>> hierarchy(Class<?> c) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            hierarchy.add(0, k);
        }
        return hierarchy;
    }

    /** Per class of the hierarchy: its methods that can override (non-private, non-static; bridges included). */
    private static List<Map<Sig, List<Class<?>>>> overriders(List<Class<?>> hierarchy) {
        List<Map<Sig, List<Class<?>>>> out = new ArrayList<>(hierarchy.size());
        for (Class<?> k : hierarchy) {
            Map<Sig, List<Class<?>>> own = new HashMap<>();
            for (Method m : k.getDeclaredMethods()) {
                int mod = m.getModifiers();
                if (!Modifier.isPrivate(mod) && !Modifier.isStatic(mod) && (!m.isSynthetic() || m.isBridge())) {
                    own.computeIfAbsent(new Sig(m), s -> new ArrayList<>(1)).add(k);
                }
            }
            out.add(own);
        }
        return out;
    }

    /**
     * JLS 8.4.8.1: a method of class {@code A} is overridden by a same-signature instance method of a subclass unless
     * it is private; a package-private one only by a subclass in the same run-time package as {@code A}.
     */
    private static boolean overridden(Method m, int declaredAt, List<Class<?>> hierarchy,
                                      List<Map<Sig, List<Class<?>>>> overriders) {
        int mod = m.getModifiers();
        if (Modifier.isPrivate(mod)) {
            return false;
        }
        boolean packagePrivate = !Modifier.isPublic(mod) && !Modifier.isProtected(mod);
        Class<?> a = hierarchy.get(declaredAt);
        Sig sig = null;
        for (int i = declaredAt + 1; i < hierarchy.size(); i++) {
            if (overriders.get(i).isEmpty()) {
                continue;
            }
            sig = sig != null ? sig : new Sig(m);
            if (overriders.get(i).containsKey(sig) && (!packagePrivate || samePackage(a, hierarchy.get(i)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean samePackage(Class<?> a, Class<?> b) {
        return a.getClassLoader() == b.getClassLoader() && a.getPackageName().equals(b.getPackageName());
    }

    /** A method's name and erased parameter types. */
    private static final class Sig {
        private final String name;
        private final Class<?>[] params;
        private final int hash;

        Sig(Method m) {
            this.name = m.getName();
            this.params = m.getParameterTypes();
            this.hash = name.hashCode() * 31 + Arrays.hashCode(params);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sig && ((Sig) o).name.equals(name) && Arrays.equals(((Sig) o).params, params);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static MethodHandle lifecycleHandle(MethodHandles.Lookup lookup, Method m, String what,
                                                List<String> errors) throws IllegalAccessException {
        if (m.getParameterCount() != 0) {
            errors.add(what + " method " + Types.toString(m.getDeclaringClass()) + "." + m.getName()
                    + " must take no parameters");
            return null;
        }
        return lookup.unreflect(m).asType(MethodType.methodType(void.class, Object.class));
    }

    private static MethodHandles.Lookup lookup(Class<?> c) throws IllegalAccessException {
        return MethodHandles.privateLookupIn(c, MethodHandles.lookup());
    }

    /** @return the dependency of an injection point, or {@code null} after recording an error */
    static Binding.Dep dep(Type type, Annotation[] annotations, String where, List<String> errors) {
        Annotation qualifier = null;
        for (Annotation a : annotations) {
            if (a.annotationType().isAnnotationPresent(jakarta.inject.Qualifier.class)) {
                if (qualifier != null) {
                    errors.add("Ambiguous qualifiers on " + where + ": @" + qualifier.annotationType().getSimpleName()
                            + " and @" + a.annotationType().getSimpleName() + "; use one");
                    return null;
                }
                qualifier = a;
            }
        }
        try {
            boolean provider = false;
            if (Types.rawType(type) == Provider.class) {
                if (!(type instanceof ParameterizedType)) {
                    errors.add("Raw Provider on " + where + ": give its type argument, for example Provider<Foo>");
                    return null;
                }
                type = ((ParameterizedType) type).getActualTypeArguments()[0];
                provider = true;
            }
            return new Binding.Dep(Key.ofType(type, qualifier), provider, where);
        } catch (DiException e) {
            errors.add(e.getMessage() + " (" + where + ")");
            return null;
        }
    }
}
