package io.vela.di;

/** How long an instance made by the container lives. */
public enum Lifetime {
    /** One instance per container, created once (lazily unless eager) even under contention; destroyed on close. */
    SINGLETON,
    /** A new instance per injection or lookup; not tracked, so never destroyed by the container. */
    TRANSIENT,
    /** One instance per {@link Scope}; destroyed when the scope closes. Resolvable only from a scope. */
    SCOPED
}
