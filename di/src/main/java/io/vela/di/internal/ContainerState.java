package io.vela.di.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What singleton nodes share with their container: the creation lock, the list of created instances to destroy, and
 * the closed flag. Created before the nodes, so that the container itself can be built last with final fields.
 */
final class ContainerState {
    final ReentrantLock creationLock = new ReentrantLock();
    /** Guarded by {@link #creationLock}. */
    List<Lifecycle.Tracked> created = new ArrayList<>();
    volatile boolean closed;

    void ensureOpen(String label) {
        if (closed) {
            throw new io.vela.di.DiException("Cannot create " + label + ": the container is closed");
        }
    }

    /** Called with the creation lock held. */
    void track(Object instance, Lifecycle lifecycle, String label) {
        created.add(new Lifecycle.Tracked(instance, lifecycle, label));
    }
}
