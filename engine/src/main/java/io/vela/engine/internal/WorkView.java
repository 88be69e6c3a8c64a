package io.vela.engine.internal;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;

/**
 * What a worker's wait strategy watches, in place of the shared ring's cursor: "work" as soon as slot
 * {@link #target(long) target} of the shared ring is claimed or one of the worker's lanes has a filled slot (its stamp) it
 * has not run. The Disruptor's wait strategies take the sequence they watch as a parameter and only call
 * {@link #get()} on it (as they do on a {@code FixedSequenceGroup}), so one strategy instance waits on several rings.
 *
 * <p>Only its worker's thread uses it. Never written through: {@code set} and friends are not meaningful and are not
 * called by any wait strategy. Allocates nothing.
 */
final class WorkView extends Sequence {
    private final RingBuffer<TaskSlot> ring;
    private final LaneConsumer lanes;
    /** The next slot of the shared ring the worker waits for (its own thread only). */
    private long target;

    WorkView(RingBuffer<TaskSlot> ring, LaneConsumer lanes) {
        super(-1);
        this.ring = ring;
        this.lanes = lanes;
    }

    void target(long next) {
        target = next;
    }

    /**
     * @return {@code target} when there is work (the wait ends), {@code target - 1} when there is none
     */
    @Override
    public long get() {
        long t = target;
        return ring.getCursor() >= t || lanes.hasWork() ? t : t - 1;
    }
}
