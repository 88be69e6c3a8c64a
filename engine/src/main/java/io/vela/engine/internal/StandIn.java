package io.vela.engine.internal;

import com.lmax.disruptor.RingBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * The stand-in of one {@link ExecutorWorker} for the shared ring (ADR 0019): while that worker is stuck in a task,
 * the other workers cover its part of the ring, so that the ring, which gates on every worker's sequence, does not
 * hold every submitter behind one long task.
 *
 * <p>The worker's part of a slot is whether it must run it: the slots keyed to it. Unkeyed slots are shared by
 * claim and need nothing. Covering a slot therefore means moving a copy of it to the worker's {@linkplain #backlog
 * backlog} if it is keyed to the worker (in ring order), and nothing otherwise; {@link #cover} is the last slot
 * covered, and the worker's gating sequence counts as {@code max(sequence, cover)} ({@link Gating}). When the worker
 * comes back it runs its backlog in order, then takes its part of the ring back from {@code cover + 1}: one key's
 * tasks still run on one thread, in order.
 *
 * <p>The hand-over, {@link #NONE} → {@link #REQUESTED} → {@link #GRANTED} → {@link #NONE}:
 * <ol>
 *   <li>The timer thread ({@link StandIns}) sees the worker's announced position and sequence unmoved for the
 *       stand-in threshold with work behind it, and requests (a volatile store).</li>
 *   <li>The worker reads the state after each slot it announces and before it claims or runs it
 *       ({@link #stops}); a worker that sees a request is not stuck: it declines with a CAS back to {@code NONE}.</li>
 *   <li>At least a millisecond later, if the position and sequence still have not moved, the timer thread grants
 *       with a CAS from {@code REQUESTED}: the worker's part from its announced position + 1 on is the stand-in's.
 *       Of a decline and a grant exactly one CAS succeeds. A worker that announced a slot after the position the
 *       grant read also reads the state before running it (the request was stored a millisecond before the grant
 *       read the position, so its read sees at least the request), and gives the slot up.</li>
 *   <li>Under this object's lock, the granting thread covers every published slot (the worker's chunk of claimed
 *       slots included); from then on every worker that is not itself stood in covers, at the end of each batch,
 *       up to the last slot it walked.</li>
 *   <li>The worker, back from its task, sees {@code GRANTED} at its next announcement or batch, runs its backlog
 *       (one entry at a time, under the lock), and when the backlog is empty sets its sequence to {@code cover} and
 *       the state back to {@code NONE} under the lock.</li>
 * </ol>
 * The millisecond is the same assumption the shutdown sweep makes (ADR 0006): a volatile store a millisecond old
 * is seen by a load that follows a store in program order.
 *
 * <p>The backlog holds at most one ring's worth of tasks beyond the first cover: a coverer stops at a keyed slot
 * it has no room for, and the ring then gates there as it did without a stand-in.
 *
 * <p>Threads: the worker reads {@link #state} per announced slot (a plain load on x86); every other field is
 * guarded by this object's lock, but {@link #cover} is also read without it by submitters ({@link Gating}).
 * Allocates one entry per keyed task moved (only while a worker is stood in), nothing otherwise.
 */
final class StandIn {
    static final int NONE = 0;
    static final int REQUESTED = 1;
    static final int GRANTED = 2;
    /** {@link #cover} when nobody covers. */
    static final long NO_COVER = Long.MIN_VALUE;

    private static final VarHandle STATE;
    private static final VarHandle COVER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(StandIn.class, "state", int.class);
            COVER = l.findVarHandle(StandIn.class, "cover", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long p1, p2, p3, p4, p5, p6, p7;
    private volatile int state = NONE;
    /** The last slot covered while {@link #GRANTED}: the worker's part of the ring up to it is done or moved. */
    private volatile long cover = NO_COVER;
    @SuppressWarnings("unused")
    private long q1, q2, q3, q4, q5, q6, q7;

    private final ExecutorWorker worker;
    private final int capacity;
    /** Copies of the worker's keyed slots covered while it was stuck, in ring order (guarded by this). */
    private final ArrayDeque<Moved> backlog = new ArrayDeque<>();
    /** Set by the shutdown sweep once it took the backlog (guarded by this). */
    private boolean swept;
    /** Times this worker was stood in for (guarded by this; read by tests and stats). */
    private long grants;

    /** A keyed slot moved to the backlog. */
    record Moved(long seq, Runnable task, Callable<?> callable, CompletableFuture<Object> future) {
    }

    StandIn(ExecutorWorker worker, int ringSize) {
        this.worker = worker;
        this.capacity = ringSize;
    }

    /** @return the state (volatile read) */
    int state() {
        return state;
    }

    /** @return the last slot covered, or {@link #NO_COVER} (volatile read; any thread) */
    long cover() {
        return cover;
    }

    /** The timer thread's request (see the class comment, step 1). */
    boolean request() {
        return STATE.compareAndSet(this, NONE, REQUESTED);
    }

    /** The timer thread's withdrawal of a request it no longer stands by (the worker moved, or the ring halts). */
    void cancelRequest() {
        STATE.compareAndSet(this, REQUESTED, NONE);
    }

    /**
     * The worker's check after announcing {@code seq} and before claiming or running it (its own thread only).
     *
     * @param seq      the slot just announced
     * @param previous the announcement before it
     * @return true if the worker must give the slot up and stop walking the ring: it has been stood in for
     */
    boolean stops(long seq, long previous) {
        int s = state;
        if (s == NONE || s == REQUESTED && STATE.compareAndSet(this, REQUESTED, NONE)) {
            return false;
        }
        // granted from an earlier position: this slot is the stand-in's (moved, or to be moved, to the backlog)
        worker.position.withdraw(seq, previous);
        return true;
    }

    /**
     * The timer thread's grant (step 3) and first cover (step 4).
     *
     * @param position the worker's announced position, unmoved since the request
     * @param ring     the shared ring
     * @return true if granted; false if the worker declined, or the ring is halting
     */
    boolean grant(long position, RingBuffer<TaskSlot> ring) {
        synchronized (this) {
            if (worker.halt || !STATE.compareAndSet(this, REQUESTED, GRANTED)) {
                return false;
            }
            grants++;
            swept = false;
            long upTo = position;
            long cursor = ring.getCursor();
            while (upTo < cursor && ring.isAvailable(upTo + 1)) {
                upTo++;
                moveIfKeyed(ring, upTo);
            }
            COVER.setVolatile(this, upTo);
            return true;
        }
    }

    /**
     * A coverer's step at the end of its batch (any worker but this one, while {@link #GRANTED}): covers this
     * worker's part of the ring up to {@code last}, a slot the coverer walked (published, and not yet reusable:
     * the gating sequence stays at {@link #cover}).
     */
    void coverUpTo(RingBuffer<TaskSlot> ring, long last) {
        synchronized (this) {
            if (state != GRANTED) {
                return;
            }
            long c = cover;
            long limit = c;
            while (limit < last) {
                long seq = limit + 1;
                if (ring.get(seq).owner == worker.index && backlog.size() >= capacity) {
                    break; // no room: the ring gates here, as without a stand-in
                }
                moveIfKeyed(ring, seq);
                limit = seq;
            }
            if (limit != c) {
                COVER.setVolatile(this, limit);
            }
        }
    }

    private void moveIfKeyed(RingBuffer<TaskSlot> ring, long seq) {
        TaskSlot slot = ring.get(seq);
        if (slot.owner == worker.index) {
            backlog.add(new Moved(seq, slot.task, slot.callable, slot.future));
        }
    }

    /**
     * The worker's next backlog entry (its own thread only), or null once the backlog is empty, in which case the
     * worker has its part of the ring back: its sequence is set to {@code max(sequence, cover)} and the state to
     * {@link #NONE}, both under the lock, so that no coverer adds to the backlog after it was found empty.
     *
     * @return the entry to run, or null: resume the ring at {@link #resumeAt}; also null when halted (the sweep
     *         takes what is left)
     */
    Moved next() {
        synchronized (this) {
            if (worker.halt || swept) {
                return null;
            }
            Moved m = backlog.poll();
            if (m != null) {
                return m;
            }
            long c = cover;
            if (worker.sequence.get() < c) {
                worker.sequence.set(c);
            }
            COVER.setVolatile(this, NO_COVER);
            STATE.setVolatile(this, NONE);
            worker.stoodDown();
            return null;
        }
    }

    /**
     * For the shutdown sweep (workers halted): takes what is left of the backlog.
     *
     * @return the entries not run, in order, and the last slot covered (the sweep skips this worker's keyed slots up
     *         to it: they are in the backlog or were run from it), or {@link #NO_COVER}
     */
    long takeForSweep(List<Moved> into) {
        synchronized (this) {
            swept = true;
            into.addAll(backlog);
            backlog.clear();
            return state == GRANTED ? cover : NO_COVER;
        }
    }

    /** @return how many times this worker was stood in for */
    synchronized long grants() {
        return grants;
    }

    /** @return a copy of the backlog, for tests */
    synchronized List<Moved> backlogSnapshot() {
        return new ArrayList<>(backlog);
    }

    /**
     * The worker's gating sequence as the ring sees it: its own sequence, or the last slot covered for it if that is
     * later. Read by submitters when the ring looks full (the Disruptor's wait strategies and gating only call
     * {@link #get()}). Allocates nothing.
     */
    static final class Gating extends com.lmax.disruptor.Sequence {
        private final ExecutorWorker worker;

        Gating(ExecutorWorker worker) {
            super(-1);
            this.worker = worker;
        }

        @Override
        public long get() {
            long c = worker.standIn.cover();
            long s = worker.sequence.get();
            return Math.max(s, c);
        }
    }
}
