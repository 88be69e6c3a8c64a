package io.vela.engine.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import io.vela.engine.counters.CounterTypes;
import io.vela.engine.counters.VelaCounters;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One worker of a {@link RingExecutorImpl}: a consumer that sees every slot of the shared ring and runs the slots
 * keyed to it and the unkeyed slots it claims first ({@link ClaimSequence}). It never writes to a slot.
 *
 * <p>Claims cost one CAS per chunk of up to {@value #MAX_CLAIM} slots for the slots only this worker may run (its
 * keyed slots; every slot when it is the only worker), and one CAS per slot for unkeyed slots shared with other
 * workers. A halted worker runs nothing more: the slots it claimed but had not started go to the shutdown sweep.
 *
 * <p>It also reads the submitter lanes assigned to it ({@link LaneConsumer}, ADR 0015): single-producer rings of
 * one submitter thread each, which only this worker reads. It waits for the shared ring and its lanes together,
 * through the executor's one wait strategy instance and a {@link WorkView}. When it catches up with a submitter that
 * is streaming tasks it stays off the rings for a moment ({@link Streaming}, ADR 0017), so that the submitter's
 * per-task fence does not wait for the lines this worker would poll.
 *
 * <p>Only its own thread runs {@link #run()}; its counters live in the runtime's counters file (one 128-byte slot
 * each), written by this worker only, with release stores once per batch, and readable from any thread (and any
 * process). Allocates nothing per task.
 *
 * <p>User code cannot stop a worker: what a task throws goes to the error handler; the interrupt flag is cleared
 * after every task (a task that restores it, as the idiom says, does not make the next task start interrupted or
 * the wait strategy throw); an {@code InterruptedException} from the wait strategy only makes the worker look at
 * its halt flag. Only the executor stops it, by halt or close.
 */
final class ExecutorWorker implements Runnable {
    /** Most slots claimed in one step. */
    static final int MAX_CLAIM = 256;
    /** How many times a worker checks for the next slot before it waits: a spinning wait strategy spins longer. */
    static final int PROBE_SPINS = 64;
    static final int PROBE_SPINS_SPINNING = 512;

    final int index;
    final Sequence sequence = new Sequence(-1);
    /** Claims on the slots only this worker may run: its keyed slots, or every slot when it works alone. */
    final ClaimSequence own;
    private final RingExecutorImpl owner;
    private final RingBuffer<TaskSlot> ring;
    private final SequenceBarrier barrier;
    private final ClaimSequence shared;
    private final boolean solo;
    private final int probeSpins;

    /** This worker's own copies of its counters (its thread only), published to the counters below. */
    private long completed;
    private long failed;
    private long largestBatch;
    /** In the runtime's counters file, each in a 128-byte slot of its own; written by this worker only. */
    private final AtomicCounter completedCounter;
    private final AtomicCounter failedCounter;
    private final AtomicCounter largestBatchCounter;
    /** The slot of the shared ring being run (or last run), announced for the shutdown sweep. */
    final SlotAnnouncement position = new SlotAnnouncement();
    /** The submitter lanes this worker reads (ADR 0015). */
    final LaneConsumer lanes;
    /** What the wait strategy watches: the shared ring and this worker's lanes. */
    private final WorkView view;
    private final com.lmax.disruptor.WaitStrategy waitStrategy;
    volatile boolean halt;
    volatile Thread thread;
    /**
     * Looks at the rings that found no work since the last batch ran (its own thread only): fewer than
     * {@link Streaming#LOOKS} means a submitter is streaming tasks ({@link Streaming}).
     */
    int emptyLooks;
    /**
     * Whether a single task does not count as a stream ({@link Streaming}; its own thread only): set by a pause, kept
     * while the worker goes on finding work within its first looks, cleared by a batch found after more looks.
     */
    private boolean paused;
    /**
     * Pauses taken ({@link Streaming}): written by its own thread only, plain; read by tests once the worker has
     * ended. One increment per pause (at most one per 200 ns): no cost on the task path.
     */
    long pauses;
    /** Unkeyed tasks this worker is running inline because its own ring was full (its own thread only). */
    int inlineDepth;
    /**
     * Its back-off while the shared ring's next slot is claimed but not published, waiting or draining (its own
     * thread only).
     */
    private final org.agrona.concurrent.IdleStrategy stalled = FullRingBackoff.create();
    /** Whether {@link #stalled} idled since the last batch (its own thread only). */
    private boolean stalling;
    /** Its stand-in for the shared ring while it is stuck in a task (ADR 0019). */
    final StandIn standIn;
    /**
     * The last slot of the shared ring it claimed on its own claim sequence (its own thread only): after a stand-in
     * it may walk again slots it had claimed as a chunk before it got stuck, and they are still its own to run.
     */
    private long claimedTo = -1;

    ExecutorWorker(RingExecutorImpl owner, int index, RingBuffer<TaskSlot> ring, SequenceBarrier barrier,
            com.lmax.disruptor.WaitStrategy waitStrategy, boolean solo, boolean spinning, VelaCounters counters) {
        String label = owner.name() + "#" + index;
        this.completedCounter = counters.newCounter(CounterTypes.WORKER, label, "completed");
        this.failedCounter = counters.newCounter(CounterTypes.WORKER, label, "failed");
        this.largestBatchCounter = counters.newCounter(CounterTypes.WORKER, label, "largest-batch");
        this.probeSpins = spinning ? PROBE_SPINS_SPINNING : PROBE_SPINS;
        this.owner = owner;
        this.index = index;
        this.ring = ring;
        this.barrier = barrier;
        this.solo = solo;
        this.shared = owner.unkeyedClaims();
        this.own = solo ? shared : new ClaimSequence();
        this.waitStrategy = waitStrategy;
        this.lanes = new LaneConsumer(this);
        this.view = new WorkView(ring, lanes);
        this.standIn = new StandIn(this, ring.getBufferSize());
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long next = sequence.get() + 1;
        while (true) {
            try {
                if (standIn.state() == StandIn.GRANTED) { // stood in for while away (ADR 0019): the ring may have
                    next = takeBack(next); // moved a lap past its sequence, so it looks nowhere before taking back
                }
                long available = probe(next);
                boolean ranLanes = lanes.runAll();
                if (halt) {
                    return;
                }
                boolean streaming = streaming(Math.max(0, available - next + 1) + (ranLanes ? lanes.taken() : 0));
                if (available < next) {
                    if (!ranLanes) {
                        await(next);
                    } else {
                        caughtUp(streaming, lanes.caughtUp());
                    }
                    continue;
                }
                if (stalling) {
                    stalling = false;
                    stalled.reset();
                }
                boolean caughtUp = available - next + 1 < MAX_CLAIM && (!ranLanes || lanes.caughtUp());
                while (next <= available) {
                    next = runBatch(ring, sequence, own, position, false, next,
                            Math.min(available, next + MAX_CLAIM - 1));
                    if (halt) {
                        return;
                    }
                    if (standIn.state() == StandIn.GRANTED) { // it was stuck in a task and stood in for
                        next = takeBack(next);
                        break;
                    }
                }
                caughtUp(streaming, caughtUp);
            } catch (AlertException e) {
                if (!halt) {
                    drain(next);
                    lanes.drainAll();
                }
                return;
            } catch (TimeoutException e) {
                // a timeout strategy woke us without work: wait again
            } catch (InterruptedException e) {
                // only the executor stops a worker (halt or close, both of which alert the barrier)
                if (halt) {
                    return;
                }
            } catch (RuntimeException | Error e) {
                // not a task's (those are caught in runBatch): a fault of the worker itself; keep the ring moving
                owner.onWorkerError(e);
                if (halt) {
                    return;
                }
            }
        }
    }

    /**
     * Whether a submitter is streaming ({@link Streaming}): the work was found within {@link Streaming#LOOKS} looks
     * since the last batch; or, right after a pause, the pause found a run of at least
     * {@link Streaming#AFTER_PAUSE} slots (a round trip finds one task after a pause, and must not be taken for a
     * stream because the pause made it wait).
     *
     * @param found how many slots this pass found
     */
    private boolean streaming(long found) {
        return paused ? found >= Streaming.AFTER_PAUSE : emptyLooks < Streaming.LOOKS;
    }

    /**
     * After running batches: starts counting looks afresh, and pauses if a streaming submitter was caught up with
     * ({@link Streaming}).
     */
    private void caughtUp(boolean streaming, boolean tookAll) {
        boolean early = emptyLooks < Streaming.LOOKS;
        emptyLooks = 0;
        boolean pause = streaming && tookAll;
        // a task that submits its continuation (one in flight) is found at the first look after every batch: once a
        // pause found a single task, later single tasks found at once are not a stream either, until a run or a gap
        paused = pause || paused && early;
        if (pause) {
            pauses++;
            Streaming.pause();
        }
    }

    /**
     * Waits, through the executor's wait strategy, until the shared ring has slot {@code next} claimed or one of
     * this worker's lanes has a filled slot ({@link WorkView}). Lanes share the strategy instance, so a lane's
     * publish signals a worker parked in a blocking strategy.
     */
    private void await(long next) throws AlertException, InterruptedException, TimeoutException {
        Thread.interrupted(); // a stray interrupt must not make the wait strategy throw or spin
        barrier.checkAlert(); // as SequenceBarrier.waitFor does: some strategies return at once when there is work
        view.target(next);
        waitStrategy.waitFor(next, view, view, barrier);
        if (ring.getCursor() >= next && !ring.isAvailable(next) && !owner.recoverAbandoned(next)
                && !lanes.hasWork()) {
            // the cursor passed a slot its publisher has not published yet (stopped between claim and publish):
            // every wait strategy returns at once, and asking again would spin a core for as long as it stays
            // stopped, perhaps the core it needs to go on; back off instead (spin, yield, park up to 100 us)
            stalling = true;
            stalled.idle();
        }
    }

    /**
     * Looks for published slots from {@code next} on by reading the ring's availability flags, spinning briefly,
     * before falling back to the wait strategy. The wait strategies watch the ring's cursor, the very field every
     * publisher CASes to claim a slot; a worker spinning there makes each claim contend for that cache line.
     *
     * @return the last slot of the contiguous published run starting at {@code next} (at most one chunk), or
     *         {@code next - 1} if none was published within the spin
     */
    private long probe(long next) {
        for (int i = 0; i < probeSpins; i++) {
            if (ring.isAvailable(next)) {
                long end = next;
                long limit = next + MAX_CLAIM - 1;
                while (end < limit && ring.isAvailable(end + 1)) {
                    end++;
                }
                return end;
            }
            if (barrier.isAlerted() || lanes.hasWork()) { // hasWork counts an empty look
                break;
            }
            Thread.onSpinWait();
        }
        return next - 1;
    }

    /**
     * Runs the slots of {@code [next, end]} of ring {@code r} that are this worker's and returns the next slot to
     * look at: slots of the shared ring ({@code lane} false: {@code consumed} is this worker's sequence,
     * {@code ownClaims} its own claim sequence, {@code announced} its position), or of one of its submitter lanes
     * ({@code lane} true: the lane's sequence, claims and position; every slot is this worker's, and a slot whose
     * stamp is not its sequence was abandoned by a failed publisher and is skipped).
     *
     * <p>Halting: once {@link #halt} is set the worker runs nothing more; it does not move its sequence past the
     * first slot it would have run, so the shutdown sweep finds that slot and a publisher cannot overwrite it.
     * Slots it claimed as a chunk but had not started are the sweep's: before running such a slot the worker
     * announces it ({@code position}), then reads {@code halt}; if halted it withdraws the announcement. The sweep
     * sets {@code halt}, waits until every position is stable, and takes the claimed slots past each position.
     * Unkeyed slots shared with other workers need no announcement: the worker reads {@code halt} before its claim
     * CAS, and the sweep claims with the same CAS.
     */
    long runBatch(RingBuffer<TaskSlot> r, Sequence consumed, ClaimSequence ownClaims, SlotAnnouncement announced,
            boolean lane, long next, long end) {
        if (!lane && standIn.state() == StandIn.GRANTED) {
            return next; // stood in for: the caller takes its part of the ring back first
        }
        boolean chunk = !halt && ownClaims.claimRange(next, end);
        if (chunk && !lane) {
            claimedTo = end;
        }
        long done = 0;
        long fails = 0;
        long last = end;
        boolean stopAfter = false;
        for (long seq = next; seq <= end; seq++) {
            TaskSlot slot = r.get(seq);
            boolean mine;
            Runnable task;
            Callable<?> callable;
            CompletableFuture<Object> future;
            if (lane) {
                if (slot.stamp != seq) {
                    continue; // abandoned by a publisher that failed between claim and fill
                }
                mine = true;
            } else {
                int o = slot.owner;
                if (o != TaskSlot.ANY_WORKER && o != index) {
                    continue; // cancelled, or another worker's keyed slot
                }
                mine = solo || o == index;
            }
            if (mine) {
                if (!chunk) {
                    if (halt) {
                        last = seq - 1;
                        break;
                    }
                    if (lane || seq > claimedTo) {
                        if (!ownClaims.claim(seq)) {
                            continue; // the sweep took it
                        }
                        if (!lane) {
                            claimedTo = seq;
                        }
                    } // else claimed in a chunk before a stand-in, walked again after it (ADR 0019)
                }
                // read before the announcement: once it is out, a stand-in may let the ring reuse the slot (ADR 0019)
                task = slot.task;
                callable = slot.callable;
                future = slot.future;
                long previous = announced.announce(seq);
                int then = afterAnnouncing(announced, lane, seq, previous);
                if (then == LEAVE) {
                    last = seq - 1;
                    break;
                } else if (then == RUN_LAST) {
                    stopAfter = true;
                    last = seq;
                }
            } else {
                if (halt) {
                    last = seq - 1;
                    break;
                }
                task = slot.task;
                callable = slot.callable;
                future = slot.future;
                // announced before the claim: a stand-in granted on an earlier position covers this slot's worker
                // part from there, and this worker must not then claim it (ADR 0019)
                long previous = announced.announce(seq);
                int stop = standIn.stops(seq, previous);
                if (stop == StandIn.GIVE_UP) {
                    last = seq - 1;
                    break;
                }
                if (!shared.claim(seq)) {
                    if (stop == StandIn.LAST) {
                        last = seq;
                        break;
                    }
                    continue; // another worker (or the sweep) took it
                }
                if (stop == StandIn.LAST) {
                    stopAfter = true;
                    last = seq;
                }
            }
            done++;
            try {
                if (!runSlot(task, callable, future)) {
                    fails++;
                }
            } catch (Throwable t) { // runSlot contains the task's throws; this is a fault of reporting them
                fails++;
                owner.onWorkerError(t);
            }
            Thread.interrupted(); // as ThreadPoolExecutor does: a task's interrupt does not leak to the next
            if (stopAfter) {
                break;
            }
        }
        if (!lane && owner.standingIn() && last >= next) {
            owner.coverOthers(this, last);
        }
        consumed.set(last);
        publishCounters(done, fails, end - next + 1);
        return last + 1;
    }

    /** {@link #afterAnnouncing}: run the slot and go on. */
    static final int RUN = 0;
    /** {@link #afterAnnouncing}: run the slot, then stop walking the ring. */
    static final int RUN_LAST = 1;
    /** {@link #afterAnnouncing}: leave the slot (the sweep's, or the stand-in's) and stop walking the ring. */
    static final int LEAVE = 2;

    /**
     * What the worker does with a slot of its own it has just announced (its own thread only; {@code runBatch}). On
     * the shared ring its stand-in decides first ({@link StandIn#stops}): a slot the stand-in took is left to it; the
     * slot a grant read as the worker's position (announced, the worker preempted before this check) is the worker's
     * to run, halted or not — the sweep skips the worker's keyed slots up to the cover, that one included, and reads
     * no slot the ring may have reused. Then, halted: it withdraws the announcement and leaves the slot to the sweep,
     * unless the sweep froze it first (then it runs it). The stand-in's check also declines a pending request, so no
     * grant made after it reads the halt can leave a withdrawn slot covered (a later grant sees the halt).
     *
     * @return {@link #RUN}, {@link #RUN_LAST} or {@link #LEAVE}
     */
    int afterAnnouncing(SlotAnnouncement announced, boolean lane, long seq, long previous) {
        int stop = lane ? StandIn.GO_ON : standIn.stops(seq, previous);
        if (stop == StandIn.GIVE_UP) { // stood in for: the slot is the stand-in's (in the backlog if keyed to it)
            return LEAVE;
        } else if (stop == StandIn.LAST) {
            return RUN_LAST;
        }
        if (halt) {
            // withdrawn: the sweep takes it; else the sweep froze this announcement: it counts the slot as ours
            return announced.withdraw(seq, previous) ? LEAVE : RUN_LAST;
        }
        return RUN;
    }

    /**
     * Back from a task during which it was stood in for (ADR 0019): runs the backlog of its keyed tasks the others
     * moved out of the ring, in order, then takes its part of the ring back. Its own thread only; allocates nothing
     * (the entries were allocated by the coverers).
     *
     * @param next the next slot it would have looked at
     * @return the next slot of the shared ring to look at
     */
    long takeBack(long next) {
        StandIn.Moved m;
        while ((m = standIn.next()) != null) {
            position.announce(m.seq()); // progress, for the watchdog; the sweep takes the backlog under its lock
            boolean ok;
            try {
                ok = runSlot(m.task(), m.callable(), m.future());
            } catch (Throwable t) {
                ok = false;
                owner.onWorkerError(t);
            }
            Thread.interrupted();
            publishCounters(1, ok ? 0 : 1, 1);
        }
        if (halt) {
            return next;
        }
        return Math.max(next, sequence.get() + 1);
    }

    private boolean runSlot(Runnable task, Callable<?> callable, CompletableFuture<Object> future) {
        if (future == null) {
            try {
                task.run();
                return true;
            } catch (Throwable t) {
                owner.onTaskError(task, t);
                return false;
            }
        }
        if (future.isDone()) {
            return true; // cancelled by its submitter before it ran
        }
        try {
            if (callable != null) {
                future.complete(callable.call());
            } else {
                task.run();
                future.complete(null);
            }
            return true;
        } catch (Throwable t) {
            future.completeExceptionally(t);
            return false;
        }
    }

    /**
     * After close: runs what was accepted, including slots claimed by publishers before close but not yet
     * published, until this worker has seen every claimed slot or is halted. Behind a slot claimed but not yet
     * published it backs off as {@link #await} does (spin, yield, park up to 100 us): its publisher may stay stopped
     * for long, and {@code close()} waits up to a day.
     */
    private void drain(long next) {
        long seq = next;
        stalled.reset();
        while (!halt && seq <= ring.getCursor()) {
            if (standIn.state() == StandIn.GRANTED) {
                seq = takeBack(seq);
            } else if (ring.isAvailable(seq)) {
                long end = seq;
                long cursor = ring.getCursor();
                while (end < cursor && end - seq < MAX_CLAIM - 1 && ring.isAvailable(end + 1)) {
                    end++;
                }
                seq = runBatch(ring, sequence, own, position, false, seq, end);
                if (standIn.state() == StandIn.GRANTED) {
                    seq = takeBack(seq);
                }
                stalled.reset();
            } else if (owner.recoverAbandoned(seq)) {
                stalled.reset();
            } else {
                stalled.idle();
            }
        }
    }

    /** @return the claims on the unkeyed slots of the shared ring */
    ClaimSequence unkeyedClaims() {
        return shared;
    }

    /** @return the slot of the shared ring being run, or the last one run (any thread) */
    long position() {
        return position.position();
    }

    private void publishCounters(long done, long fails, long batch) {
        if (done != 0) {
            completed += done;
            completedCounter.setRelease(completed);
        }
        if (fails != 0) {
            failed += fails;
            failedCounter.setRelease(failed);
        }
        if (batch > largestBatch) {
            largestBatch = batch;
            largestBatchCounter.setRelease(batch);
        }
    }

    long completed() {
        return completedCounter.getAcquire();
    }

    long failed() {
        return failedCounter.getAcquire();
    }

    long largestBatch() {
        return largestBatchCounter.getAcquire();
    }

    void alert() {
        barrier.alert();
    }

    /** Its stand-in ended: it has its part of the shared ring back (called under the stand-in's lock). */
    void stoodDown() {
        owner.stoodDown();
    }
}
