package io.vela.di;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.vela.di.internal.ContainerFactory;

/** Collects modules and builds a validated {@link Container}. Not thread-safe; use from one thread. */
public final class ContainerBuilder {
    private final List<Module> modules = new ArrayList<>();
    private boolean eagerSingletons;

    ContainerBuilder() {
    }

    /**
     * Adds modules; their bindings are declared in the order given.
     *
     * @param more the modules
     * @return this
     */
    public ContainerBuilder install(Module... more) {
        for (Module m : more) {
            modules.add(Objects.requireNonNull(m, "module"));
        }
        return this;
    }

    /**
     * Creates every singleton when the container is built (instead of on first use).
     *
     * @return this
     */
    public ContainerBuilder eagerSingletons() {
        this.eagerSingletons = true;
        return this;
    }

    /**
     * Validates every binding (all errors reported together), compiles the factories and creates eager singletons.
     * If creating an eager singleton fails, what was already created is destroyed before the exception leaves.
     *
     * @return the container
     * @throws ContainerValidationException if the bindings are invalid
     * @throws DiException                  if an eager singleton cannot be created
     */
    public Container build() {
        return new ContainerFactory(List.copyOf(modules), eagerSingletons).build();
    }
}
