package io.vela.di;

/**
 * One unit of scoped lifetime (for example one HTTP request), opened with {@link Container#openScope()}.
 * Scoped bindings get one instance per scope; singletons and transients resolve as from the container.
 * Closing destroys the scope's instances in reverse creation order and drops every reference to them.
 *
 * <p>Threads: any thread may call {@link #get}; creation of a scoped instance is serialised per scope.
 * A lookup of an already created scoped instance is an array read and allocates nothing.
 */
public interface Scope extends Resolver, AutoCloseable {
    /**
     * Destroys this scope's instances ({@code @PreDestroy}, then {@link AutoCloseable#close()}) in reverse creation
     * order. Idempotent; lookups after close throw {@link DiException}.
     *
     * @throws DiException if a destroy callback failed (the others still ran; failures are suppressed in it)
     */
    @Override
    void close();
}
