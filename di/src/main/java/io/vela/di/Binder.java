package io.vela.di;

import java.util.function.Supplier;

/** Where a {@link Module} declares bindings. Used only while the container is being built (single thread). */
public interface Binder {
    /**
     * Starts a binding for a class; without a target it binds the class to its own {@code @Inject} constructor.
     *
     * @param type the bound type
     * @param <T>  the type
     * @return the binding builder
     */
    <T> BindingBuilder<T> bind(Class<T> type);

    /**
     * Starts a binding for a generic type, for example {@code bind(new TypeRef<Repository<User>>() {})}.
     *
     * @param type the captured type
     * @param <T>  the type
     * @return the binding builder
     */
    <T> BindingBuilder<T> bind(TypeRef<T> type);

    /**
     * Starts a binding for a (possibly qualified) key.
     *
     * @param key the key
     * @param <T> the type
     * @return the binding builder
     */
    <T> BindingBuilder<T> bind(Key<T> key);

    /**
     * Binds a type to an existing instance (the seam for runtime parts owned elsewhere, for example
     * {@code bindInstance(ExecutorService.class, runtime.executor())}). The container never destroys it.
     *
     * @param type     the bound type
     * @param instance the instance
     * @param <T>      the type
     */
    <T> void bindInstance(Class<T> type, T instance);

    /**
     * Binds a type to a supplier called on each injection (transient); the container never destroys what it returns.
     *
     * @param type     the bound type
     * @param supplier the supplier; must not return {@code null}
     * @param <T>      the type
     */
    <T> void bindSupplier(Class<T> type, Supplier<? extends T> supplier);

    /**
     * Starts (or continues) a multibinding: all contributions are injectable as {@code List<T>} or {@code Set<T>},
     * in registration order (modules in install order).
     *
     * @param elementType the element type
     * @param <T>         the type
     * @return the multibinding builder
     */
    <T> MultibindingBuilder<T> multibind(Class<T> elementType);

    /**
     * Starts (or continues) a multibinding for a qualified or generic element key.
     *
     * @param elementKey the element key
     * @param <T>        the type
     * @return the multibinding builder
     */
    <T> MultibindingBuilder<T> multibind(Key<T> elementKey);

    /**
     * Asks for the {@code @Inject} static fields and methods of these classes, and of their superclasses, to be
     * injected once, when the container is built (like Guice's {@code requestStaticInjection}). Each class's
     * static members are injected at most once per container, superclass first, and per class fields before methods.
     * Their dependencies are validated with the rest of the graph. Without a request, static members are left alone
     * (the container logs them at debug level).
     *
     * @param types the classes whose static members are injected
     */
    void requestStaticInjection(Class<?>... types);

    /**
     * Installs another module's bindings here.
     *
     * @param module the module
     */
    void install(Module module);
}
