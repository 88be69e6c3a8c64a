package io.vela.bench.di;

import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import dagger.Component;

/** Dagger component (generated at compile time) for the {@code provider-get} case: providers held by the caller. */
@Singleton
@Component
public interface ProviderComponent {
    /** @return the provider of the singleton */
    Provider<Model.Config> config();

    /** @return the provider of a new five-object graph per {@code get()} */
    Provider<Model.Root> root();
}
