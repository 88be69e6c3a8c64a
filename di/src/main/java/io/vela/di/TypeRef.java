package io.vela.di;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

import io.vela.di.internal.Types;

/**
 * Captures a generic type, so that {@code Repository<User>} and {@code Repository<Order>} are told apart:
 * {@code new TypeRef<Repository<User>>() {}}.
 *
 * @param <T> the captured type
 */
public abstract class TypeRef<T> {
    private final Type type;

    /** Captures the type argument of the anonymous subclass. */
    protected TypeRef() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType)) {
            throw new DiException("TypeRef must be created with a type argument: new TypeRef<Foo<Bar>>() {}");
        }
        this.type = Types.canonicalize(((ParameterizedType) superclass).getActualTypeArguments()[0]);
    }

    /** @return the captured type */
    public final Type type() {
        return type;
    }

    @Override
    public String toString() {
        return Types.toString(type);
    }
}
