package io.vela.bench.di;

import dagger.Component;

/** Dagger component (generated at compile time) for the {@code transient-graph} case. */
@Component
public interface TransientComponent {
    /** @return a new five-object graph */
    Model.Root root();
}
