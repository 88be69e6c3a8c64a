package io.vela.engine.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * One preallocated ring slot of the executor. Written by the publisher that claimed it, then read by workers.
 *
 * <p>{@link #state} decides who runs the task exactly once: a worker moves it {@code READY → TAKEN} by CAS, the
 * shutdown sweep moves it {@code READY → CANCELLED}; a publisher that saw the ring close after claiming publishes
 * it as {@code CANCELLED}. Allocates nothing.
 */
final class TaskSlot {
    static final int FREE = 0;
    static final int READY = 1;
    static final int TAKEN = 2;
    static final int CANCELLED = 3;

    /** The worker that must run this slot's task (keyed), or {@link #ANY_WORKER}. */
    static final int ANY_WORKER = -1;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TaskSlot.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    int state;
    int owner;
    Runnable task;
    Callable<?> callable;
    CompletableFuture<Object> future;

    boolean take() {
        return STATE.compareAndSet(this, READY, TAKEN);
    }

    boolean cancel() {
        return STATE.compareAndSet(this, READY, CANCELLED);
    }

    int stateVolatile() {
        return (int) STATE.getVolatile(this);
    }

    void clear() {
        task = null;
        callable = null;
        future = null;
    }

    /** @return a runnable that does what this slot would have done (for {@code shutdownNow}) */
    Runnable asRunnable() {
        Runnable t = task;
        Callable<?> c = callable;
        CompletableFuture<Object> f = future;
        if (f == null) {
            return t;
        }
        return () -> {
            try {
                if (c != null) {
                    f.complete(c.call());
                } else {
                    t.run();
                    f.complete(null);
                }
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        };
    }
}
