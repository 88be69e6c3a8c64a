package io.vela.engine;

import java.util.concurrent.RejectedExecutionException;

/**
 * A ring, timer or pool refused work. One type to catch for every refusal in Vela — executor, timer, blocking pool
 * and event bus alike — with {@link #result()} saying why: {@link OfferResult#FULL} ({@link RingFullException}: no
 * slot under {@code fail-fast}, or none freed within the {@code block-timeout}) or {@link OfferResult#CLOSED}
 * ({@link RingClosedException}: shut down). Extends {@link RejectedExecutionException} because that is what
 * {@code ExecutorService} callers already catch (ADR 0002). Work that was refused was not accepted: nothing of it
 * runs later.
 */
public abstract class RingRejectedException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    private final String ring;
    private final int capacity;

    /**
     * @param ring     the name of the ring that refused
     * @param capacity its capacity
     * @param message  why the work was refused
     */
    protected RingRejectedException(String ring, int capacity, String message) {
        super(message);
        this.ring = ring;
        this.capacity = capacity;
    }

    /** @return the name of the ring, timer or pool that refused the work */
    public String ring() {
        return ring;
    }

    /** @return its capacity (slots, pending timers, or waiting calls) */
    public int capacity() {
        return capacity;
    }

    /** @return why: {@link OfferResult#FULL} or {@link OfferResult#CLOSED}, never {@code ACCEPTED} */
    public abstract OfferResult result();
}
