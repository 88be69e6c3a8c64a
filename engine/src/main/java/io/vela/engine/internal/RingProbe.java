package io.vela.engine.internal;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SequenceBarrier;

/**
 * A consumer's short spin on a ring's availability before it falls back to its wait strategy. The Disruptor's wait
 * strategies watch the ring's cursor — on a multi-producer ring the very field every publisher CASes to claim a
 * slot, so a consumer spinning there makes each claim contend for that cache line; the availability flags are
 * written only by the publish. (On a single-producer ring {@code isAvailable} reads the cursor: no worse than the
 * wait strategy.)
 *
 * <p>Called by a ring's consumer thread (bus consumers; the executor's workers keep their own, which also stops
 * spinning when one of their submitter lanes has work);
 * stateless, allocates nothing.
 */
public final class RingProbe {
    private RingProbe() {
    }

    /**
     * @param ring    the ring
     * @param barrier the consumer's barrier: an alert ends the spin as soon as no slot is published, so that the
     *                caller's {@code waitFor} throws and its loop sees the alert; published slots are handed out
     *                without looking at it, so a caller that stops on a flag (a halt) reads that flag itself
     * @param next    the first slot wanted
     * @param spins   how many looks before giving up
     * @param chunk   the most slots returned at once
     * @return the last slot of the contiguous published run from {@code next} (at most {@code chunk} slots), or
     *         {@code next - 1} if none was published within the spin
     */
    public static long probe(RingBuffer<?> ring, SequenceBarrier barrier, long next, int spins, int chunk) {
        for (int i = 0; i < spins; i++) {
            if (ring.isAvailable(next)) {
                long end = next;
                long limit = next + chunk - 1;
                while (end < limit && ring.isAvailable(end + 1)) {
                    end++;
                }
                return end;
            }
            if (barrier.isAlerted()) {
                break;
            }
            Thread.onSpinWait();
        }
        return next - 1;
    }
}
