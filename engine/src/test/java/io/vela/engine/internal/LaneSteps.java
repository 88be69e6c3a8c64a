package io.vela.engine.internal;

/** A lane owner's publishing steps, one at a time, for white-box tests of the lane protocol (ADR 0015, 0017). */
final class LaneSteps {
    private LaneSteps() {
    }

    /** Announces and fills claimed slot {@code seq} as the owner does (live or cancelled), stamp last; no cursor. */
    static void fill(SubmitterLane lane, long seq, Runnable task, boolean live) {
        lane.lastClaimed.setVolatile(seq);
        TaskSlot slot = lane.ring.get(seq);
        slot.task = task;
        slot.callable = null;
        slot.future = null;
        slot.owner = TaskSlot.ANY_WORKER;
        slot.stamp(live ? seq : ~seq);
    }

    /** Claims the next slot and {@link #fill}s it live; does not publish the cursor. @return the slot */
    static long claimAndFill(SubmitterLane lane, Runnable task) {
        long seq = lane.ring.next();
        fill(lane, seq, task, true);
        return seq;
    }
}
