package io.vela.di.internal;

import java.lang.invoke.MethodHandle;
import java.util.List;

/** Destroy callbacks of one class: {@code @PreDestroy} methods, then {@link AutoCloseable#close()}. */
final class Lifecycle {
    private final MethodHandle[] preDestroy;
    private final boolean close;

    Lifecycle(List<MethodHandle> preDestroy, boolean close) {
        this.preDestroy = preDestroy.toArray(new MethodHandle[0]);
        this.close = close;
    }

    void destroy(Object instance) throws Throwable {
        Throwable first = null;
        for (MethodHandle mh : preDestroy) {
            try {
                mh.invokeExact(instance);
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                } else {
                    first.addSuppressed(t);
                }
            }
        }
        if (close) {
            try {
                ((AutoCloseable) instance).close();
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                } else {
                    first.addSuppressed(t);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** An instance waiting to be destroyed. */
    static final class Tracked {
        final Object instance;
        final Lifecycle lifecycle;
        final String label;

        Tracked(Object instance, Lifecycle lifecycle, String label) {
            this.instance = instance;
            this.lifecycle = lifecycle;
            this.label = label;
        }
    }
}
