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
     * Claims, in one step, every governed slot from the last claimed one up to {@code seq}; succeeds only if nobody
     * else claimed any of them meanwhile.
     *
     * @param from the first slot of the range (the last claimed one must be {@code from - 1})
     * @param to   the last slot of the range
     * @return true if the caller now owns every governed slot in {@code [from, to]}
     */
    boolean claimRange(long from, long to) {
        return claimed.get() < from && claimed.compareAndSet(from - 1, to);
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
