package io.vela.di;

/**
 * A built, validated dependency-injection container. Resolving does no reflection: every factory was compiled
 * to method handles when the container was built.
 *
 * <p>Threads: {@link #get}, {@link #provider} and {@link #openScope()} may be called from any thread. A lookup of
 * an existing singleton by class is an identity-table probe plus one acquire read and allocates nothing; a transient
 * lookup allocates only the instances it creates (hot transient bindings are compiled, after 2,000 resolves, into a
 * generated class that inlines their subgraph).
 */
public interface Container extends Resolver, AutoCloseable {
    /** @return a new builder */
    static ContainerBuilder builder() {
        return new ContainerBuilder();
    }

    /**
     * Opens a scope; the caller must close it (try-with-resources).
     *
     * @return a new, empty scope
     * @throws DiException if the container is closed
     */
    Scope openScope();

    /**
     * Destroys the singletons the container created, in reverse creation order. Idempotent. Open scopes are not
     * closed by this: their opener owns them.
     *
     * @throws DiException if a destroy callback failed (the others still ran; failures are suppressed in it)
     */
    @Override
    void close();
}
