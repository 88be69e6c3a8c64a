package io.vela.di.internal;

/**
 * Implemented by the classes {@link GraphCompiler} generates. Public only so that a class generated in the user's
 * package can implement it; not an API.
 */
public interface GeneratedFactory {
    /**
     * Creates one instance of the compiled subgraph.
     *
     * @param ext   the nodes the generated code calls (singletons, scoped bindings, providers, non-inlinable factories)
     * @param scope the open scope, or {@code null} at the root
     * @return the new instance
     */
    Object create(Node[] ext, ScopeImpl scope);
}
