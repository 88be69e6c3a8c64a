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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    /** Fills the construction plan of a CLASS binding. */
    static void analyze(Binding b, Class<?> c, List<String> errors) {
        String name = Types.toString(c);
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            errors.add(name + " is " + (c.isInterface() ? "an interface" : "abstract") + " and cannot be constructed"
                    + " (bound as " + b.label + " in " + b.origin + "): bind it to an implementation");
            return;
        }
        if (c.isMemberClass() && !Modifier.isStatic(c.getModifiers())) {
            errors.add(name + " is an inner class: make it static to inject it");
            return;
        }
        Constructor<?> ctor = null;
        List<Constructor<?>> injectCtors = new ArrayList<>(1);
        Constructor<?> noArg = null;
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (k.isAnnotationPresent(Inject.class)) {
                injectCtors.add(k);
            } else if (k.getParameterCount() == 0 && !Modifier.isPrivate(k.getModifiers())) {
                noArg = k;
            }
        }
        if (injectCtors.size() > 1) {
            errors.add("Ambiguous constructor: " + name + " has " + injectCtors.size()
                    + " @Inject constructors; annotate exactly one");
            return;
        } else if (injectCtors.size() == 1) {
            ctor = injectCtors.get(0);
        } else if (noArg != null) {
            ctor = noArg;
        } else {
            errors.add(name + " has no @Inject constructor and no non-private no-arg constructor");
            return;
        }
        int before = errors.size();
        Parameter[] params = ctor.getParameters();
        for (int i = 0; i < params.length; i++) {
            Binding.Dep d = dep(params[i].getParameterizedType(), params[i].getAnnotations(),
                    "constructor parameter " + i + " of " + name, errors);
            if (d != null) {
                b.deps.add(d);
            }
        }
        b.ctorArity = params.length;

        // members, superclass first
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            hierarchy.add(0, k);
        }
        Set<String> overridden = new HashSet<>();
        List<List<Method>> methodsPerClass = new ArrayList<>();
        for (int i = hierarchy.size() - 1; i >= 0; i--) {
            List<Method> own = new ArrayList<>();
            for (Method m : hierarchy.get(i).getDeclaredMethods()) {
                if (m.isSynthetic() || m.isBridge() || Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                String sig = m.getName() + Arrays.toString(m.getParameterTypes());
                if (Modifier.isPrivate(m.getModifiers())) {
                    own.add(m);
                } else if (overridden.add(sig)) {
                    own.add(m);
                }
            }
            methodsPerClass.add(0, own);
        }
        List<Method> preDestroy = new ArrayList<>(0);
        boolean preDestroyIsClose = false;
        try {
            for (int ci = 0; ci < hierarchy.size(); ci++) {
                Class<?> k = hierarchy.get(ci);
                MethodHandles.Lookup lookup = lookup(k);
                for (Field f : k.getDeclaredFields()) {
                    if (!f.isAnnotationPresent(Inject.class)) {
                        continue;
                    }
                    if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
                        errors.add("@Inject field " + Types.toString(k) + "." + f.getName() + " is "
                                + (Modifier.isStatic(f.getModifiers()) ? "static" : "final") + ": it cannot be injected");
                        continue;
                    }
                    Binding.Dep d = dep(f.getGenericType(), f.getAnnotations(),
                            "field " + Types.toString(k) + "." + f.getName(), errors);
                    if (d != null) {
                        b.deps.add(d);
                        b.fieldSetters.add(lookup.unreflectSetter(f)
                                .asType(MethodType.methodType(void.class, Object.class, Object.class)));
                    }
                }
            }
            for (int ci = 0; ci < hierarchy.size(); ci++) {
                Class<?> k = hierarchy.get(ci);
                MethodHandles.Lookup lookup = lookup(k);
                for (Method m : methodsPerClass.get(ci)) {
                    if (m.isAnnotationPresent(Inject.class)) {
                        if (Modifier.isAbstract(m.getModifiers())) {
                            continue;
                        }
                        Parameter[] mp = m.getParameters();
                        for (int i = 0; i < mp.length; i++) {
                            Binding.Dep d = dep(mp[i].getParameterizedType(), mp[i].getAnnotations(), "parameter " + i
                                    + " of method " + Types.toString(k) + "." + m.getName(), errors);
                            if (d != null) {
                                b.deps.add(d);
                            }
                        }
                        MethodType erased = MethodType.genericMethodType(mp.length + 1).changeReturnType(void.class);
                        b.methodInjectors.add(lookup.unreflect(m).asType(erased).asSpreader(Object[].class, mp.length));
                        b.methodArities.add(mp.length);
                    }
                    if (m.isAnnotationPresent(PostConstruct.class)) {
                        b.postConstruct.add(lifecycleHandle(lookup, m, "@PostConstruct", errors));
                    }
                    if (m.isAnnotationPresent(PreDestroy.class)) {
                        preDestroy.add(0, m);
                        preDestroyIsClose |= m.getName().equals("close") && m.getParameterCount() == 0;
                    }
                }
            }
            b.postConstruct.removeIf(java.util.Objects::isNull);
            List<MethodHandle> pd = new ArrayList<>(preDestroy.size());
            for (Method m : preDestroy) {
                MethodHandle h = lifecycleHandle(lookup(m.getDeclaringClass()), m, "@PreDestroy", errors);
                if (h != null) {
                    pd.add(h);
                }
            }
            boolean close = AutoCloseable.class.isAssignableFrom(c) && !preDestroyIsClose;
            if (!pd.isEmpty() || close) {
                b.lifecycle = new Lifecycle(pd, close);
            }
            if (errors.size() > before) {
                return;
            }
            MethodHandle mh = lookup(c).unreflectConstructor(ctor)
                    .asType(MethodType.genericMethodType(params.length));
            if (params.length > MAX_FAST_ARITY || b.hasMembersOrCallbacks()) {
                mh = mh.asSpreader(Object[].class, params.length);
            }
            b.ctor = mh;
            b.constructor = ctor;
        } catch (IllegalAccessException e) {
            errors.add("Cannot access " + name + " for injection: " + e.getMessage()
                    + " (open its package to the vela-di module)");
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
