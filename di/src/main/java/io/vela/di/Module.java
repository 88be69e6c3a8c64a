package io.vela.di;

/**
 * A group of bindings. Modules are the seam for code that cannot be annotated, and for runtime parts owned
 * elsewhere (for example the engine's executor), which are bound with {@link Binder#bindInstance} or
 * {@link BindingBuilder#toProvider(java.util.function.Supplier)} using JDK types.
 */
@FunctionalInterface
public interface Module {
    /**
     * Declares bindings; called once, while the container is being built.
     *
     * @param binder where bindings are declared
     */
    void configure(Binder binder);
}
