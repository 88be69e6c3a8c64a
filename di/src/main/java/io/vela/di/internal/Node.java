package io.vela.di.internal;

/**
 * A compiled binding: {@code get} returns the instance for a context ({@code null} for the container root, else the
 * scope). Subclasses are in {@link Nodes}. Thread-safe; allocates only the instances a binding creates.
 */
abstract class Node {
    /**
     * @param scope the open scope, or {@code null} at the container root
     * @return the instance, never {@code null}
     */
    abstract Object get(ScopeImpl scope);
}
