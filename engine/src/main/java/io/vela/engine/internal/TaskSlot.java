package io.vela.engine.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * One preallocated ring slot of the executor. Written only by the publisher that claimed it; workers only read it
 * (a worker writing to slots would share cache lines with the publisher filling the next slots). Who runs a slot is
 * decided outside the slot, by claim sequences ({@link ClaimSequence}). Allocates nothing.
 *
 * <p>References stay in the slot until the ring wraps around and the slot is reused: a ring of {@code n} slots
 * keeps at most {@code n} finished tasks reachable.
 */
final class TaskSlot {
    private static final VarHandle STAMP;

    static {
        try {
            STAMP = MethodHandles.lookup().findVarHandle(TaskSlot.class, "stamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The slot may be run by any worker. */
    static final int ANY_WORKER = -1;
    /** The publisher saw the ring close after claiming: nobody runs this slot. */
    static final int CANCELLED = -2;

    /** {@link #ANY_WORKER}, {@link #CANCELLED}, or the index of the worker that must run it (keyed). */
    int owner;
    Runnable task;
    Callable<?> callable;
    CompletableFuture<Object> future;
    /**
     * Submitter lanes only: the lane sequence this slot was last filled for ({@code seq} when live, {@code ~seq} when
     * published as cancelled), stored last with a release store ({@link #stamp(long)}): the lane's worker polls it,
     * not the lane's cursor (ADR 0015, "Figures"). A slot whose stamp is neither was claimed by a publisher that
     * failed (an {@code Error}) before filling it, and is skipped once the cursor passes it (a single-producer lane
     * has no other way to publish past a claimed slot). {@link Long#MIN_VALUE} (never a stamp) until first filled.
     */
    long stamp = Long.MIN_VALUE;

    /** Stores the stamp after the slot's other fields (a release store: a reader of the stamp sees them). */
    void stamp(long value) {
        STAMP.setRelease(this, value);
    }

    /** @return the stamp, read with an acquire load (the fields stored before it are visible) */
    long stampAcquire() {
        return (long) STAMP.getAcquire(this);
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
