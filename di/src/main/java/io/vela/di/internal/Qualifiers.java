package io.vela.di.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import io.vela.di.DiException;
import jakarta.inject.Named;
import jakarta.inject.Qualifier;

/** Qualifier helpers: {@code @Named} instances, marker detection, readable names. Build time only. */
public final class Qualifiers {
    private Qualifiers() {
    }

    /**
     * @param name the value
     * @return an {@code @Named(name)} instance equal to a compiled one
     */
    public static Named named(String name) {
        return new NamedLiteral(name);
    }

    /**
     * @param type an annotation type
     * @throws DiException if it is not meta-annotated {@code @Qualifier}
     */
    public static void requireQualifier(Class<? extends Annotation> type) {
        if (!type.isAnnotationPresent(Qualifier.class)) {
            throw new DiException("@" + type.getSimpleName() + " is not a qualifier (it lacks @jakarta.inject.Qualifier)");
        }
    }

    /**
     * @param type an annotation type
     * @return true if it has no attributes
     */
    public static boolean isMarker(Class<? extends Annotation> type) {
        return type.getDeclaredMethods().length == 0;
    }

    /**
     * @param element an injection point or class
     * @return its qualifier annotations
     */
    public static List<Annotation> qualifiersOf(AnnotatedElement element) {
        List<Annotation> out = new ArrayList<>(1);
        for (Annotation a : element.getAnnotations()) {
            if (a.annotationType().isAnnotationPresent(Qualifier.class)) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * @param type     the qualifier type
     * @param instance the instance, or null for a marker
     * @return for example {@code @Named("x")}
     */
    public static String toString(Class<? extends Annotation> type, Annotation instance) {
        if (instance == null) {
            return "@" + type.getSimpleName();
        }
        if (instance instanceof Named) {
            return "@Named(\"" + ((Named) instance).value() + "\")";
        }
        StringBuilder sb = new StringBuilder("@").append(type.getSimpleName()).append('(');
        Method[] methods = type.getDeclaredMethods();
        for (int i = 0; i < methods.length; i++) {
            try {
                methods[i].setAccessible(true);
                sb.append(i == 0 ? "" : ", ").append(methods[i].getName()).append('=').append(methods[i].invoke(instance));
            } catch (ReflectiveOperationException | RuntimeException e) {
                sb.append(methods[i].getName()).append("=?");
            }
        }
        return sb.append(')').toString();
    }

    @SuppressWarnings("ClassExplicitlyAnnotation")
    private static final class NamedLiteral implements Named {
        private final String value;

        NamedLiteral(String value) {
            this.value = java.util.Objects.requireNonNull(value, "name");
        }

        @Override
        public String value() {
            return value;
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return Named.class;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Named && value.equals(((Named) o).value());
        }

        @Override
        public int hashCode() {
            return (127 * "value".hashCode()) ^ value.hashCode();
        }

        @Override
        public String toString() {
            return "@jakarta.inject.Named(\"" + value + "\")";
        }
    }
}
