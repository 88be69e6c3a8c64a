package io.vela.di;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Completes one binding. Without a target, the key's class is bound to its own constructor. The lifetime is
 * {@link #in(Lifetime)} if given, else the implementation class's annotation ({@code @Singleton},
 * {@link Scoped}), else {@link Lifetime#TRANSIENT}.
 *
 * @param <T> the bound type
 */
public interface BindingBuilder<T> {
    /**
     * Binds to an implementation class. Without {@link #in(Lifetime)} this is an alias: the key shares the
     * implementation's own binding (so a {@code @Singleton} implementation stays one instance).
     *
     * @param implementation the class whose {@code @Inject} (or no-arg) constructor is used
     * @return this
     */
    BindingBuilder<T> to(Class<? extends T> implementation);

    /**
     * Binds to an existing instance, never destroyed by the container.
     *
     * @param instance the instance
     * @return this
     */
    BindingBuilder<T> toInstance(T instance);

    /**
     * Binds to a provider function without dependencies. What it returns is not destroyed by the container.
     *
     * @param supplier the function; must not return {@code null}
     * @return this
     */
    BindingBuilder<T> toProvider(Supplier<? extends T> supplier);

    /**
     * Binds to a provider function of one dependency, which is validated like any constructor parameter.
     *
     * @param dependency the dependency's key
     * @param factory    the function
     * @param <A>        the dependency's type
     * @return this
     */
    <A> BindingBuilder<T> toProvider(Key<A> dependency, Function<? super A, ? extends T> factory);

    /**
     * Binds to a provider function of one unqualified dependency.
     *
     * @param dependency the dependency's class
     * @param factory    the function
     * @param <A>        the dependency's type
     * @return this
     */
    default <A> BindingBuilder<T> toProvider(Class<A> dependency, Function<? super A, ? extends T> factory) {
        return toProvider(Key.of(dependency), factory);
    }

    /**
     * Binds to a provider function of two unqualified dependencies.
     *
     * @param first   the first dependency's class
     * @param second  the second dependency's class
     * @param factory the function
     * @param <A>     the first dependency's type
     * @param <B>     the second dependency's type
     * @return this
     */
    <A, B> BindingBuilder<T> toProvider(Class<A> first, Class<B> second,
                                        BiFunction<? super A, ? super B, ? extends T> factory);

    /**
     * Sets the lifetime explicitly.
     *
     * @param lifetime the lifetime
     * @return this
     */
    BindingBuilder<T> in(Lifetime lifetime);

    /**
     * Makes this a singleton created when the container is built rather than on first use.
     *
     * @return this
     */
    BindingBuilder<T> asEagerSingleton();
}
