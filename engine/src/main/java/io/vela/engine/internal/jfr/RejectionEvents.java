package io.vela.engine.internal.jfr;

/**
 * Emits {@link RejectionEvent}s for one ring, at most one per period. Any thread (the refusing submitter); off the
 * accept path (only refusals call it); allocates one event object per period at most, only when one is due.
 */
public final class RejectionEvents {
    private final String ring;
    private final Throttle throttle = new Throttle();

    /** @param ring the ring's name */
    public RejectionEvents(String ring) {
        this.ring = ring;
    }

    /** @param total the ring's refusals so far, this one included */
    public void rejected(long total) {
        long since = throttle.due(total);
        if (since > 0) {
            RejectionEvent e = new RejectionEvent();
            if (e.isEnabled()) {
                e.ring = ring;
                e.refused = since;
                e.total = total;
                e.commit();
            }
        }
    }
}
