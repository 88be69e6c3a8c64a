package io.vela.engine;

/**
 * A ring refused work because it was full: at once under the {@code fail-fast} policy, after the timeout under
 * {@code block-timeout}, or because the caller is a thread that must never wait on that ring (a worker of the same
 * executor submitting into its own full ring; see {@link OverflowPolicy}). The message names the ring, its
 * capacity and the policy.
 */
public class RingFullException extends RingRejectedException {
    private static final long serialVersionUID = 1L;

    /**
     * @param ring     the ring's name
     * @param capacity the ring's capacity
     * @param message  why the work was refused
     */
    public RingFullException(String ring, int capacity, String message) {
        super(ring, capacity, message);
    }

    @Override
    public OfferResult result() {
        return OfferResult.FULL;
    }
}
