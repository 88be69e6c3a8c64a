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
 * covered, and while it is set the ring gates on it instead of the worker's sequence ({@link Gating}; the worker's
 * sequence never passes it then). When the worker
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
 *   <li>Under this object's lock, the granting thread covers the published slots up to the first unkeyed slot
 *       nobody has claimed yet; from then on every worker that is not itself stood in covers, at the end of each
 *       batch, up to the last slot it walked. A cover never passes an unclaimed unkeyed slot
 *       ({@link #claimedIfUnkeyed}).</li>
 *   <li>The worker, back from its task, sees {@code GRANTED} at its next announcement or batch, runs its backlog
 *       (one entry at a time, under the lock), and when the backlog is empty sets its sequence to {@code cover} and
 *       the state back to {@code NONE} under the lock. Keyed slots of its own past the cover that it had claimed as
 *       a chunk before it got stuck are still its own to run when it walks them again.</li>
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
    /**
     * The first slot of the worker's part covered by the grant: written under the lock before the grant's CAS; read
     * by the worker after it read {@link #GRANTED}.
     */
    private long from;
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

    /** {@link #stops}: go on. */
    static final int GO_ON = 0;
    /** {@link #stops}: run this slot, then stop walking the ring (the grant starts after it). */
    static final int LAST = 1;
    /** {@link #stops}: give this slot up and stop walking the ring (the grant covers it). */
    static final int GIVE_UP = 2;

    /**
     * The worker's check after announcing {@code seq} and before claiming or running it (its own thread only).
     *
     * @param seq      the slot just announced
     * @param previous the announcement before it
     * @return {@link #GO_ON}; {@link #LAST} when it was stood in for from the slot after this one (the grant read
     *         this announcement); {@link #GIVE_UP} when from this slot or before: the slot is the stand-in's (moved,
     *         or to be moved, to the backlog if keyed to this worker), and its announcement is withdrawn
     */
    int stops(long seq, long previous) {
        int s = state;
        if (s == NONE || s == REQUESTED && STATE.compareAndSet(this, REQUESTED, NONE)) {
            return GO_ON;
        }
        if (from > seq) { // read after the state, which the grant stored after it
            return LAST;
        }
        worker.position.withdraw(seq, previous);
        return GIVE_UP;
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
            if (worker.halt || state != REQUESTED) {
                return false;
            }
            // the ring gates on the cover from now on, not on the worker's sequence (which a batch it is finishing
            // may still move): set it first, then start it past that sequence, read after: every slot past the
            // start was kept from reuse throughout, by the sequence before and by the cover after
            COVER.setVolatile(this, position);
            long upTo = Math.max(position, worker.sequence.get());
            COVER.setVolatile(this, upTo);
            from = upTo + 1;
            if (!STATE.compareAndSet(this, REQUESTED, GRANTED)) { // declined: the worker is moving
                COVER.setVolatile(this, NO_COVER);
                return false;
            }
            grants++;
            swept = false;
            long cursor = ring.getCursor();
            while (upTo < cursor && ring.isAvailable(upTo + 1) && claimedIfUnkeyed(ring, upTo + 1)) {
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
                if (!claimedIfUnkeyed(ring, seq)) {
                    break; // not reached by the coverer's walk (cannot happen: it walked it): see claimedIfUnkeyed
                }
                moveIfKeyed(ring, seq);
                limit = seq;
            }
            if (limit != c) {
                COVER.setVolatile(this, limit);
            }
        }
    }

    /**
     * A cover never passes an unkeyed slot nobody has claimed: a worker taking its part back resumes past the cover,
     * and its next claim of an unkeyed slot would count every unclaimed one before it as claimed (claims are "up
     * to", {@link ClaimSequence}), so that slot would never run. A live worker claims (or finds claimed) every
     * unkeyed slot it walks; the granting thread's first cover stops at the first one no worker has reached yet.
     */
    private boolean claimedIfUnkeyed(RingBuffer<TaskSlot> ring, long seq) {
        return ring.get(seq).owner != TaskSlot.ANY_WORKER || worker.unkeyedClaims().get() >= seq;
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
            worker.own.claim(c); // its keyed slots up to the cover are done: its next chunk claim starts past it
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

    @Override
    public synchronized String toString() {
        return "stand-in[state=" + state + ", from=" + from + ", cover=" + cover + ", backlog=" + backlog.size()
                + (backlog.isEmpty() ? "" : " first " + backlog.peekFirst().seq() + " last " + backlog.peekLast().seq())
                + ", grants=" + grants + "]";
    }

    /** @return a copy of the backlog, for tests */
    synchronized List<Moved> backlogSnapshot() {
        return new ArrayList<>(backlog);
    }

    /**
     * The worker's gating sequence as the ring sees it: the last slot covered for it while it is stood in for, its
     * own sequence otherwise. Read by submitters when the ring looks full (the Disruptor's wait strategies and gating only call
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
            return c != NO_COVER ? c : worker.sequence.get();
        }
    }
}
