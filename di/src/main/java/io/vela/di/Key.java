package io.vela.di;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.vela.di.internal.Qualifiers;
import io.vela.di.internal.Types;

/**
 * What a binding is looked up by: a (possibly generic) type plus an optional qualifier ({@code @Named} or any
 * {@code @Qualifier} annotation). Immutable; equal keys name the same binding.
 *
 * @param <T> the bound type
 */
public final class Key<T> {
    private final Type type;
    private final Class<?> rawType;
    private final Class<? extends Annotation> qualifierType;
    private final Annotation qualifier;
    private final int hash;

    private Key(Type type, Annotation qualifier) {
        this.type = Types.canonicalize(Objects.requireNonNull(type, "type"));
        this.rawType = Types.rawType(this.type);
        if (qualifier == null) {
            this.qualifierType = null;
            this.qualifier = null;
        } else {
            this.qualifierType = qualifier.annotationType();
            Qualifiers.requireQualifier(qualifierType);
            this.qualifier = Qualifiers.isMarker(qualifierType) ? null : qualifier;
        }
        this.hash = this.type.hashCode() * 31 + Objects.hashCode(qualifierType) * 7 + Objects.hashCode(this.qualifier);
    }

    private Key(Type type, Class<? extends Annotation> qualifierType) {
        this.type = Types.canonicalize(Objects.requireNonNull(type, "type"));
        this.rawType = Types.rawType(this.type);
        Qualifiers.requireQualifier(qualifierType);
        if (!Qualifiers.isMarker(qualifierType)) {
            throw new DiException("@" + qualifierType.getSimpleName()
                    + " has attributes; pass an annotation instance instead of its type");
        }
        this.qualifierType = qualifierType;
        this.qualifier = null;
        this.hash = this.type.hashCode() * 31 + qualifierType.hashCode() * 7;
    }

    /**
     * @param type an unqualified class
     * @param <T>  the type
     * @return the key
     */
    public static <T> Key<T> of(Class<T> type) {
        return new Key<>(type, (Annotation) null);
    }

    /**
     * @param type a captured generic type
     * @param <T>  the type
     * @return the unqualified key
     */
    public static <T> Key<T> of(TypeRef<T> type) {
        return new Key<>(type.type(), (Annotation) null);
    }

    /**
     * @param type a class
     * @param name the {@code @Named} value
     * @param <T>  the type
     * @return the key qualified by {@code @Named(name)}
     */
    public static <T> Key<T> named(Class<T> type, String name) {
        return new Key<>(type, Qualifiers.named(name));
    }

    /**
     * @param type      a class
     * @param qualifier a marker qualifier annotation type (one without attributes)
     * @param <T>       the type
     * @return the qualified key
     */
    public static <T> Key<T> qualified(Class<T> type, Class<? extends Annotation> qualifier) {
        return new Key<>(type, qualifier);
    }

    /**
     * @param type      a class
     * @param qualifier a qualifier annotation instance
     * @param <T>       the type
     * @return the qualified key
     */
    public static <T> Key<T> qualified(Class<T> type, Annotation qualifier) {
        return new Key<>(type, Objects.requireNonNull(qualifier, "qualifier"));
    }

    /**
     * For frameworks that work with reflected types.
     *
     * @param type      any type without type variables
     * @param qualifier a qualifier annotation, or {@code null} for none
     * @return the key
     */
    public static Key<?> ofType(Type type, Annotation qualifier) {
        return new Key<>(type, qualifier);
    }

    /**
     * @param element the element key of a multibinding
     * @param <T>     the element type
     * @return the key of the multibinding as a {@code List}, in registration order
     */
    @SuppressWarnings("unchecked")
    public static <T> Key<List<T>> listOf(Key<T> element) {
        return (Key<List<T>>) element.withType(Types.parameterized(List.class, element.type));
    }

    /**
     * @param element the element key of a multibinding
     * @param <T>     the element type
     * @return the key of the multibinding as a {@code Set}, in registration order
     */
    @SuppressWarnings("unchecked")
    public static <T> Key<Set<T>> setOf(Key<T> element) {
        return (Key<Set<T>>) element.withType(Types.parameterized(Set.class, element.type));
    }

    /**
     * @param newType another type
     * @return a key with the same qualifier and another type
     */
    public Key<?> withType(Type newType) {
        if (qualifierType != null && qualifier == null) {
            return new Key<>(newType, qualifierType);
        }
        return new Key<>(newType, qualifier);
    }

    /** @return the (canonical) type */
    public Type type() {
        return type;
    }

    /** @return the raw class of the type */
    public Class<?> rawType() {
        return rawType;
    }

    /** @return the qualifier annotation type, if any */
    public Optional<Class<? extends Annotation>> qualifierType() {
        return Optional.ofNullable(qualifierType);
    }

    /** @return true if this key has a qualifier */
    public boolean isQualified() {
        return qualifierType != null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Key)) {
            return false;
        }
        Key<?> k = (Key<?>) o;
        return hash == k.hash && type.equals(k.type) && Objects.equals(qualifierType, k.qualifierType)
                && Objects.equals(qualifier, k.qualifier);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** @return for example {@code @Named("primary") Repository<User>} */
    @Override
    public String toString() {
        if (qualifierType == null) {
            return Types.toString(type);
        }
        return Qualifiers.toString(qualifierType, qualifier) + " " + Types.toString(type);
    }
}
