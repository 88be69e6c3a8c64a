package io.vela.engine;

/**
 * A ring refused work because it is shut down (or shutting down). Also the cause with which a shutdown completes
 * the futures of accepted tasks it could not run before its deadline.
 */
public class RingClosedException extends RingRejectedException {
    private static final long serialVersionUID = 1L;

    /**
     * @param ring     the ring's name
     * @param capacity the ring's capacity
     * @param message  why the work was refused
     */
    public RingClosedException(String ring, int capacity, String message) {
        super(ring, capacity, message);
    }

    @Override
    public OfferResult result() {
        return OfferResult.CLOSED;
    }
}
