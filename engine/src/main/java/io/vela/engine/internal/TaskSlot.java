package io.vela.engine.internal;

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
     * Submitter lanes only: the lane sequence this slot was last filled for, written last before the publish. A
     * slot whose stamp is not its sequence was claimed by a publisher that failed (an {@code Error}) before filling
     * it, and is skipped (a single-producer lane has no other way to publish past a claimed slot).
     */
    long stamp = -1;

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
