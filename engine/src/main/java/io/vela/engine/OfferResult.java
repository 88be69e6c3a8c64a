package io.vela.engine;

/**
 * What a non-throwing offer ({@code tryExecute}, {@code tryPublish}) did with the work it was given. Returning a
 * code instead of throwing keeps a hot path free of exception construction, as Aeron's {@code Publication.offer}
 * does. The same two refusals are what a throwing call reports through {@link RingRejectedException#result()}.
 */
public enum OfferResult {
    /** Taken: the work will run (or be delivered), or be reported by a shutdown if the deadline passes first. */
    ACCEPTED,
    /** Refused because the ring had no free slot at that moment; nothing was waited for. */
    FULL,
    /** Refused because the ring is shut down or shutting down. */
    CLOSED;

    /** @return true for {@link #ACCEPTED} */
    public boolean accepted() {
        return this == ACCEPTED;
    }
}
