package io.vela.bench.di;

import jakarta.inject.Singleton;

import dagger.Component;

/** Dagger component (generated at compile time) for the {@code scoped} case; one subcomponent per request. */
@Singleton
@Component
public interface ScopedComponent {
    /** @return a new request subcomponent, i.e. a new scope */
    RequestComponent request();
}
