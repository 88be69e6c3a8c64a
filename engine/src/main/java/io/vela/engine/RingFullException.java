package io.vela.engine;

import java.util.concurrent.RejectedExecutionException;

/**
 * A ring refused work: it was full under the fail-fast policy (or stayed full past the block timeout), or it was
 * shut down. Extends {@link RejectedExecutionException} because that is what {@code ExecutorService} callers
 * catch; the message names the ring and its capacity.
 */
public class RingFullException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    private final String ring;
    private final int capacity;

    /**
     * @param ring     the ring's name
     * @param capacity the ring's capacity
     * @param message  why the work was refused
     */
    public RingFullException(String ring, int capacity, String message) {
        super(message);
        this.ring = ring;
        this.capacity = capacity;
    }

    /** @return the name of the ring that refused the work */
    public String ring() {
        return ring;
    }

    /** @return that ring's capacity */
    public int capacity() {
        return capacity;
    }
}
