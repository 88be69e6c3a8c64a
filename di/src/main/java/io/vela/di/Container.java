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
     * Closes the container. Idempotent. First every scope opened from it that is still open and holds instances
     * with destroy callbacks is closed, the most recently registered first, each destroying its instances in reverse
     * creation order (as {@link Scope#close()}); then the singletons the container created are destroyed in reverse
     * creation order. Afterwards every scope opened from it, closed here or not, refuses lookups.
     *
     * <p>Transient instances are not tracked, so they are never destroyed ({@code @PreDestroy} and
     * {@link AutoCloseable#close()} are not called on them): the container keeps no reference to what it hands out as
     * a transient. Tracking them would keep every transient ever created reachable until close (memory growing with
     * each resolve, in a long-lived container) and would add a synchronised append to every transient resolve; the
     * code that received a transient owns it and closes it. Make a class a singleton or scoped to have the container
     * destroy it. Instances bound with {@code toInstance}, {@code bindSupplier} or a provider function are never
     * destroyed either: their owner is whoever made them.
     *
     * @throws DiException if a destroy callback failed (the others still ran; later failures are suppressed in it)
     */
    @Override
    void close();
}
