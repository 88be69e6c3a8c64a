package io.vela.di;

import java.util.function.Supplier;

/**
 * Adds contributions to a multibinding, injectable as {@code List<T>} / {@code Set<T>} in registration order.
 *
 * @param <T> the element type
 */
public interface MultibindingBuilder<T> {
    /**
     * Adds an implementation class; it shares that class's own binding and lifetime.
     *
     * @param implementation the class
     * @return this
     */
    MultibindingBuilder<T> add(Class<? extends T> implementation);

    /**
     * Adds an existing instance.
     *
     * @param instance the instance
     * @return this
     */
    MultibindingBuilder<T> addInstance(T instance);

    /**
     * Adds a provider function, called on each injection of the collection.
     *
     * @param supplier the function; must not return {@code null}
     * @return this
     */
    MultibindingBuilder<T> addProvider(Supplier<? extends T> supplier);
}
