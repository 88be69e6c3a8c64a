package io.vela.engine.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The slot a worker is about to run (or last ran) among slots it claimed as a chunk, announced so that the shutdown
 * sweep can tell the slots the worker started from those it must take (ADR 0006, decision 4). One per worker for
 * its slots of the shared ring, one per submitter lane for that lane's slots.
 *
 * <p>Only the consuming worker {@linkplain #announce announces} and {@linkplain #withdraw withdraws}; the sweep
 * {@linkplain #freeze freezes} (after which a withdrawal fails and the worker runs the slot); any thread may read.
 * Allocates nothing.
 */
final class SlotAnnouncement extends SlotAnnouncementValue {
    @SuppressWarnings("unused")
    private long q1, q2, q3, q4, q5, q6, q7, q8; // padding after the position (see SlotAnnouncementValue)

    private static final VarHandle POSITION;

    static {
        try {
            POSITION = MethodHandles.lookup().findVarHandle(SlotAnnouncementValue.class, "position", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }


    /**
     * Announces {@code seq} (a release store: the sweep reads it with an acquire load).
     *
     * @param seq the slot about to run
     * @return the previous announcement, for {@link #withdraw}
     */
    long announce(long seq) {
        long previous = position;
        POSITION.setRelease(this, seq);
        return previous;
    }

    /**
     * Withdraws the announcement of {@code seq} after the worker saw a halt: the sweep takes the slot.
     *
     * @return false if the sweep froze the announcement first: the worker must run the slot
     */
    boolean withdraw(long seq, long previous) {
        return POSITION.compareAndSet(this, seq, previous);
    }

    /** @return the slot being run, or the last one run (any thread) */
    long position() {
        long raw = (long) POSITION.getAcquire(this);
        return raw < -1 ? raw - Long.MIN_VALUE - 1 : raw;
    }

    /**
     * The sweep's freeze of a position it read as stable: from now on the worker cannot withdraw it.
     *
     * @param p the position the sweep read
     * @return false if the position moved meanwhile (read again)
     */
    boolean freeze(long p) {
        long raw = (long) POSITION.getAcquire(this);
        return raw < -1 || POSITION.compareAndSet(this, p, Long.MIN_VALUE + p + 1);
    }
}
