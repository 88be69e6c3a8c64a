package io.vela.engine.internal;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.IdleStrategy;

/**
 * One submitter's lane (ADR 0015): a single-producer Disruptor ring of {@link TaskSlot}s that only its owner thread
 * publishes to and only one worker reads, created with the executor's wait strategy instance so that a publish
 * wakes a worker parked in a blocking strategy.
 *
 * <p>Threads: the owner publishes ({@link LaneSubmitter}); the worker runs, drains and {@linkplain #finish fixes}
 * it; the shutdown sweep may take its slots and fix it instead. Allocates its slots once.
 */
final class SubmitterLane {
    /** {@link #finalSeq} while the lane is open. */
    static final long OPEN = Long.MIN_VALUE;

    final RingBuffer<TaskSlot> ring;
    /** The last slot the worker is done with; gates the ring. Written by the worker only. */
    final Sequence consumed = new Sequence(-1);
    /** Claims on the lane's slots: the worker (a batch per CAS) against the shutdown sweep. */
    final ClaimSequence claimed = new ClaimSequence();
    /** The slot the worker is running, for the shutdown sweep. */
    final SlotAnnouncement position = new SlotAnnouncement();
    /**
     * The last slot published, written with a volatile store after each publish: the store the close protocol
     * orders before the owner's read of {@code closed} (ADR 0015). Read by the drain and the sweep.
     */
    final Sequence lastPublished = new Sequence(-1);
    /**
     * {@link #OPEN}, or the lane's final sequence once a drain or the sweep has fixed it: every slot up to it was
     * run or taken by the sweep, none after it ever will be.
     */
    private final AtomicLong finalSeq = new AtomicLong(OPEN);
    final Thread owner;
    final ExecutorWorker worker;
    private final RingExecutorImpl executor;
    private final com.lmax.disruptor.WaitStrategy waitStrategy;
    /** Set by {@link #release()} (after the owner's last publish); the worker then retires the lane. */
    volatile boolean released;

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
     * Fixes the lane's final sequence, once: the first caller wins.
     *
     * @param last the last slot handled (run, or taken by the sweep)
     * @return the final sequence (this caller's, or the one fixed first)
     */
    long finish(long last) {
        return finalSeq.compareAndSet(OPEN, last) ? last : finalSeq.get();
    }

    /** @return the final sequence, or {@link #OPEN} */
    long finalSequence() {
        return finalSeq.get();
    }

    /**
     * Waits until a drain or the sweep fixes the final sequence: only a publisher that saw the executor close
     * after its publish waits here, for as long as the lane's worker takes to drain (or the shutdown's deadline).
     */
    long awaitFinal() {
        IdleStrategy idle = FullRingBackoff.get();
        idle.reset();
        long f;
        while ((f = finalSeq.get()) == OPEN) {
            idle.idle();
        }
        return f;
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
