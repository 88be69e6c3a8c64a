package io.vela.engine.internal;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import org.agrona.concurrent.IdleStrategy;

/**
 * One submitter's lane (ADR 0015): a single-producer Disruptor ring of {@link TaskSlot}s that only its owner thread
 * publishes to and only one worker reads, created with the executor's wait strategy instance so that a publish
 * wakes a worker parked in a blocking strategy.
 *
 * <p>Threads: the owner publishes ({@link LaneSubmitter}); the worker runs and drains it; the shutdown sweep may
 * take its slots. Allocates its slots once.
 */
final class SubmitterLane {
    final RingBuffer<TaskSlot> ring;
    /** The last slot the worker is done with; gates the ring. Written by the worker only. */
    final Sequence consumed = new Sequence(-1);
    /** Claims on the lane's slots: the worker (a batch per CAS) against the shutdown sweep. */
    final ClaimSequence claimed = new ClaimSequence();
    /** The slot the worker is running, for the shutdown sweep. */
    final SlotAnnouncement position = new SlotAnnouncement();
    /**
     * The last slot claimed, announced with a volatile store before its owner reads the executor's {@code closed}
     * and then fills and publishes it (live, or as cancelled): the store-load pair of the close protocol (ADR 0015).
     * Written by the owner only; read by the drain and the sweep, which wait for the cursor to reach it.
     */
    final Sequence lastClaimed = new Sequence(-1);
    /**
     * The last slot its owner abandoned between claim and publish (an {@code Error} such as
     * {@code StackOverflowError}), written by a field store in a catch block (no method call, so it cannot fail
     * itself); the drain and the sweep stop waiting for that slot. -1 when none.
     */
    volatile long abandoned = -1;
    final Thread owner;
    final ExecutorWorker worker;
    private final RingExecutorImpl executor;
    private final com.lmax.disruptor.WaitStrategy waitStrategy;
    /** Set by {@link #release()} (after the owner's last publish); the worker then retires the lane. */
    volatile boolean released;
    /**
     * The first slot the shutdown sweep gave up on (claimed but not filled at its deadline), {@link Long#MAX_VALUE}
     * when none; guarded by this lane's monitor ({@link #giveUpFrom}, {@link #withdrawnFrom}).
     */
    private long givenUpFrom = Long.MAX_VALUE;

    SubmitterLane(RingExecutorImpl executor, ExecutorWorker worker, Thread owner, int size,
            com.lmax.disruptor.WaitStrategy waitStrategy) {
        this.executor = executor;
        this.worker = worker;
        this.owner = owner;
        this.waitStrategy = waitStrategy;
        this.ring = RingBuffer.createSingleProducer(TaskSlot::new, size, waitStrategy);
        this.ring.addGatingSequences(consumed);
    }

    /**
     * Waits until every slot up to {@code last} is published, or its owner abandoned {@code last}, or the worker is
     * halted, or {@code end} passes: between announcing a claim and publishing it the owner runs no user code, so
     * the wait is a few instructions long unless its thread is descheduled (as for the shared ring's claimed slots).
     *
     * @param last   the last slot claimed, as read after the executor closed
     * @param worker the draining worker (stops waiting when halted), or null for the sweep
     * @param end    a {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE} for none
     * @return the lane's cursor: {@code last}, or lower when the wait ended before it was published
     */
    long awaitPublished(long last, ExecutorWorker worker, long end) {
        long c = ring.getCursor();
        if (c >= last) {
            return c;
        }
        IdleStrategy idle = FullRingBackoff.get();
        while ((c = ring.getCursor()) < last) {
            if (abandoned == last || (worker != null && worker.halt)
                    || (end != Long.MAX_VALUE && System.nanoTime() - end >= 0)) {
                return c;
            }
            idle.idle();
        }
        return c;
    }

    /**
     * Whether slot {@code seq} was filled for this lap, live or cancelled: its stamp (a release store after its other
     * fields) is {@code seq} or {@code ~seq}. The worker polls stamps, not the cursor, so that the cursor's cache line
     * stays with the owner between the close protocol's fences (ADR 0015, "Figures").
     */
    boolean isFilled(long seq) {
        long stamp = ring.get(seq).stampAcquire();
        return stamp == seq || stamp == ~seq;
    }

    /**
     * @param next the first slot wanted (the lane's consumed sequence + 1)
     * @param max  the most slots returned
     * @return the last slot of the run of filled slots from {@code next} (at most {@code max}), or {@code next - 1}
     *         if {@code next} is not filled
     */
    long filledFrom(long next, int max) {
        long end = next - 1;
        long limit = next + max - 1;
        while (end < limit && isFilled(end + 1)) {
            end++;
        }
        return end;
    }

    /**
     * The run the worker may take from {@code next}: the filled slots; or, when slot {@code next} was abandoned by
     * its owner (never filled) and a later publish passed it, every published slot (the worker skips the stale one).
     *
     * @return the last slot to take, or {@code next - 1} if none
     */
    long runnableFrom(long next, int max) {
        long end = filledFrom(next, max);
        if (end < next && abandoned >= next) { // rare: only after an Error between a claim and its publish
            end = Math.min(ring.getCursor(), next + max - 1);
        }
        return end;
    }

    /**
     * The sweep's side of slots still unpublished at its deadline (ADR 0006, "a publisher stopped mid-publish"):
     * under this lane's monitor, finds the first slot of {@code [from, last]} not filled now and gives up on it and
     * every slot after it. Of the sweep and an owner that read {@code closed} as false before filling (stopped in
     * between for longer than the sweep waits), exactly one handles each slot: the sweep takes the slots filled
     * before it looked; the owner, re-reading {@code closed} after its publish, withdraws the rest
     * ({@link #withdrawnFrom}) and is refused. A batch fills its slots in order, so what is given up is a suffix of
     * it.
     *
     * @param from the first slot past the lane's cursor
     * @param last the lane's last announced claim
     * @return the last slot the sweep may take ({@code from - 1} if none)
     */
    synchronized long giveUpFrom(long from, long last) {
        long s = from;
        while (s <= last && isFilled(s)) {
            s++;
        }
        if (s <= last) {
            givenUpFrom = Math.min(givenUpFrom, s);
        }
        return s - 1;
    }

    /**
     * The owner's side, after publishing {@code [lo, hi]} and then seeing the executor closed: which of those slots
     * the sweep gave up on (slow path: only after the close).
     *
     * @return the first slot of {@code [lo, hi]} withdrawn (the owner's call is refused for it and the rest), or
     *         {@code hi + 1} if none
     */
    synchronized long withdrawnFrom(long lo, long hi) {
        return Math.max(lo, Math.min(givenUpFrom, hi + 1));
    }

    /** @return true if the worker has something to do on this lane: a slot to run or skip, or the lane to retire */
    boolean hasWork() {
        long next = consumed.get() + 1;
        return isFilled(next) || released || (abandoned >= next && ring.getCursor() >= next);
    }

    /**
     * Marks the lane released — its owner closed its submitter or ended, and publishes nothing more — and wakes its
     * worker so that it retires the lane once it has run what is queued.
     */
    void release() {
        released = true;
        waitStrategy.signalAllWhenBlocking();
    }

    /** Takes the lane off its worker and the executor (its owner released it and all of it ran). */
    void retire() {
        executor.retire(this);
    }
}
