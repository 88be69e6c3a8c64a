package io.vela.bench.di;

import jakarta.inject.Singleton;

import dagger.Component;

/** Dagger component (generated at compile time) for the {@code singleton} case. */
@Singleton
@Component
public interface SingletonComponent {
    /** @return the singleton */
    Model.Config config();
}
