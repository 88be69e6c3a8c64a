package io.vela.di;

import jakarta.inject.Provider;

/** Looks up instances by key; implemented by {@link Container} (root) and {@link Scope}. */
public interface Resolver {
    /**
     * Returns the instance bound to an unqualified class.
     *
     * @param type the bound type
     * @param <T>  the type
     * @return the instance, never {@code null}
     * @throws DiException if the type is not bound, or is scoped and this is not a scope
     */
    <T> T get(Class<T> type);

    /**
     * Returns the instance bound to a key.
     *
     * @param key the key (type and qualifier)
     * @param <T> the type
     * @return the instance, never {@code null}
     * @throws DiException if the key is not bound, or is scoped and this is not a scope
     */
    <T> T get(Key<T> key);

    /**
     * Returns a provider for a key, resolving in this resolver's context on every {@code get()}.
     *
     * @param key the key
     * @param <T> the type
     * @return the provider, never {@code null}
     * @throws DiException if the key is not bound
     */
    <T> Provider<T> provider(Key<T> key);

    /**
     * Returns a provider for an unqualified class.
     *
     * @param type the type
     * @param <T>  the type
     * @return the provider, never {@code null}
     * @throws DiException if the type is not bound
     */
    default <T> Provider<T> provider(Class<T> type) {
        return provider(Key.of(type));
    }
}
