package io.vela.di.internal;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import io.vela.di.DiException;

/** Canonical {@link Type} implementations with value equality, and readable names. Build time only. */
public final class Types {
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            int.class, Integer.class, long.class, Long.class, boolean.class, Boolean.class,
            double.class, Double.class, float.class, Float.class, short.class, Short.class,
            byte.class, Byte.class, char.class, Character.class, void.class, Void.class);

    private Types() {
    }

    /**
     * @param type any type
     * @return an equal type made of this class's implementations (primitives boxed)
     */
    public static Type canonicalize(Type type) {
        if (type instanceof Class) {
            Class<?> c = (Class<?>) type;
            return c.isPrimitive() ? BOXES.get(c) : c;
        }
        if (type instanceof ParameterizedTypeImpl || type instanceof GenericArrayTypeImpl
                || type instanceof WildcardTypeImpl) {
            return type;
        }
        if (type instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) type;
            Type[] args = p.getActualTypeArguments().clone();
            for (int i = 0; i < args.length; i++) {
                args[i] = canonicalize(args[i]);
            }
            Type owner = p.getOwnerType() == null ? null : canonicalize(p.getOwnerType());
            return new ParameterizedTypeImpl(owner, (Class<?>) p.getRawType(), args);
        }
        if (type instanceof GenericArrayType) {
            return new GenericArrayTypeImpl(canonicalize(((GenericArrayType) type).getGenericComponentType()));
        }
        if (type instanceof WildcardType) {
            WildcardType w = (WildcardType) type;
            return new WildcardTypeImpl(canon(w.getUpperBounds()), canon(w.getLowerBounds()));
        }
        if (type instanceof TypeVariable) {
            throw new DiException("cannot inject the type variable " + type.getTypeName()
                    + "; bind a concrete type (use TypeRef)");
        }
        throw new DiException("unsupported type " + type);
    }

    private static Type[] canon(Type[] types) {
        Type[] out = types.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = canonicalize(out[i]);
        }
        return out;
    }

    /**
     * @param raw  the raw class
     * @param args type arguments
     * @return the canonical parameterized type
     */
    public static Type parameterized(Class<?> raw, Type... args) {
        return new ParameterizedTypeImpl(null, raw, canon(args));
    }

    /**
     * @param type a type
     * @return its raw class
     */
    public static Class<?> rawType(Type type) {
        if (type instanceof Class) {
            return (Class<?>) type;
        }
        if (type instanceof ParameterizedType) {
            return (Class<?>) ((ParameterizedType) type).getRawType();
        }
        if (type instanceof GenericArrayType) {
            return java.lang.reflect.Array.newInstance(
                    rawType(((GenericArrayType) type).getGenericComponentType()), 0).getClass();
        }
        if (type instanceof WildcardType) {
            return rawType(((WildcardType) type).getUpperBounds()[0]);
        }
        return Object.class;
    }

    /**
     * @param type a type
     * @return a short name: simple class names, for example {@code Repository<User>}
     */
    public static String toString(Type type) {
        if (type instanceof Class) {
            Class<?> c = (Class<?>) type;
            if (c.isArray()) {
                return toString(c.getComponentType()) + "[]";
            }
            String name = c.getSimpleName();
            return name.isEmpty() ? c.getName() : name;
        }
        if (type instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) type;
            return toString(p.getRawType()) + Arrays.stream(p.getActualTypeArguments())
                    .map(Types::toString).collect(Collectors.joining(", ", "<", ">"));
        }
        if (type instanceof GenericArrayType) {
            return toString(((GenericArrayType) type).getGenericComponentType()) + "[]";
        }
        if (type instanceof WildcardType) {
            WildcardType w = (WildcardType) type;
            if (w.getLowerBounds().length > 0) {
                return "? super " + toString(w.getLowerBounds()[0]);
            }
            Type up = w.getUpperBounds()[0];
            return up == Object.class ? "?" : "? extends " + toString(up);
        }
        return type.getTypeName();
    }

    static final class ParameterizedTypeImpl implements ParameterizedType {
        private final Type owner;
        private final Class<?> raw;
        private final Type[] args;

        ParameterizedTypeImpl(Type owner, Class<?> raw, Type[] args) {
            this.owner = owner;
            this.raw = raw;
            this.args = args;
        }

        @Override
        public Type[] getActualTypeArguments() {
            return args.clone();
        }

        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public Type getOwnerType() {
            return owner;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ParameterizedType)) {
                return false;
            }
            ParameterizedType p = (ParameterizedType) o;
            return raw.equals(p.getRawType()) && Arrays.equals(args, p.getActualTypeArguments());
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(args) ^ raw.hashCode();
        }

        @Override
        public String toString() {
            return Types.toString(this);
        }
    }

    static final class GenericArrayTypeImpl implements GenericArrayType {
        private final Type component;

        GenericArrayTypeImpl(Type component) {
            this.component = component;
        }

        @Override
        public Type getGenericComponentType() {
            return component;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GenericArrayType
                    && component.equals(((GenericArrayType) o).getGenericComponentType());
        }

        @Override
        public int hashCode() {
            return component.hashCode();
        }

        @Override
        public String toString() {
            return Types.toString(this);
        }
    }

    static final class WildcardTypeImpl implements WildcardType {
        private final Type[] upper;
        private final Type[] lower;

        WildcardTypeImpl(Type[] upper, Type[] lower) {
            this.upper = upper;
            this.lower = lower;
        }

        @Override
        public Type[] getUpperBounds() {
            return upper.clone();
        }

        @Override
        public Type[] getLowerBounds() {
            return lower.clone();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof WildcardType)) {
                return false;
            }
            WildcardType w = (WildcardType) o;
            return Arrays.equals(upper, w.getUpperBounds()) && Arrays.equals(lower, w.getLowerBounds());
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(upper) ^ Arrays.hashCode(lower);
        }

        @Override
        public String toString() {
            return Types.toString(this);
        }
    }
}
