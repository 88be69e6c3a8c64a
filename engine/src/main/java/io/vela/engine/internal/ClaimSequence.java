package io.vela.engine.internal;

import com.lmax.disruptor.Sequence;

/**
 * Decides who runs a slot, exactly once, without writing to the slot: the highest ring sequence claimed so far among
 * the slots it governs (the unkeyed slots, or the slots keyed to one worker). Claimants walk the ring in order and
 * claim slot {@code n} by moving the value from below {@code n} to {@code n}; if it is already at or past
 * {@code n}, someone else took the slot. Workers and the shutdown sweep are the claimants.
 *
 * <p>Padded (a Disruptor {@link Sequence}), so claims do not share a cache line with anything else.
 */
final class ClaimSequence {
    private final Sequence claimed = new Sequence(-1);

    /**
     * @param seq the slot's ring sequence
     * @return true if the caller now owns the slot
     */
    boolean claim(long seq) {
        return claimUpTo(seq);
    }

    /**
     * Claims, in one step, every governed slot in {@code [from, to]}; succeeds only if nobody claimed any of them
     * before, nor anything at or past {@code from} meanwhile. For a claimant that walks the ring in order and has
     * dealt with every governed slot before {@code from} (claimed it, found it claimed, or — a worker after a
     * stand-in, ADR 0019 — had it moved to its backlog): the last claim may be below {@code from - 1}.
     *
     * @param from the first slot of the range
     * @param to   the last slot of the range
     * @return true if the caller now owns every governed slot in {@code [from, to]}
     */
    boolean claimRange(long from, long to) {
        long current = claimed.get();
        return current < from && claimed.compareAndSet(current, to);
    }

    /** @return the highest claimed sequence */
    long get() {
        return claimed.get();
    }

    private boolean claimUpTo(long seq) {
        long current = claimed.get();
        while (current < seq) {
            if (claimed.compareAndSet(current, seq)) {
                return true;
            }
            current = claimed.get();
        }
        return false;
    }
}
