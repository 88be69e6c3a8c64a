package io.vela.engine.internal;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.vela.engine.OfferResult;
import io.vela.engine.RingClosedException;
import io.vela.engine.SubmitterThreadException;
import io.vela.engine.TaskSubmitter;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link TaskSubmitter}: publishes unkeyed tasks to its own {@link SubmitterLane}, keyed tasks to the executor's
 * shared ring (ADR 0015).
 *
 * <p>Threads: its owner thread only (checked on every call); {@link #close()} also from another thread once the
 * owner has ended. {@code execute}/{@code tryExecute} allocate nothing; {@code submit} allocates its future.
 *
 * <p>Publish, per task: a closed check, the single-producer claim (no CAS), a volatile store of {@code lastClaimed}
 * and a volatile read of the executor's {@code closed} (the close protocol, proved in the ADR), then the slot's
 * fields (live, or cancelled if the executor was closing; the stamp last, with a release store: the worker polls it)
 * and the publish (a release store of the lane's cursor,
 * and the wait strategy's signal), then one more volatile read of {@code closed}: an owner stopped mid-publish for
 * longer than the shutdown sweep waits withdraws what the sweep gave up on ({@link SubmitterLane#giveUpFrom}). It
 * never waits for a worker, except on a full lane under a blocking policy.
 */
final class LaneSubmitter implements TaskSubmitter {
    private final RingExecutorImpl executor;
    /** Null when made on a worker thread of the executor: every task then goes to the executor itself. */
    private final SubmitterLane lane;
    private final RingBuffer<TaskSlot> ring;
    private final Thread owner;
    private volatile boolean closed;

    LaneSubmitter(RingExecutorImpl executor, SubmitterLane lane, Thread owner) {
        this.executor = executor;
        this.lane = lane;
        this.ring = lane == null ? null : lane.ring;
        this.owner = owner;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        check();
        if (lane == null) {
            executor.execute(task);
        } else if (!publish(task, null, null)) {
            executor.runInCaller(task);
        }
    }

    @Override
    public OfferResult tryExecute(Runnable task) {
        Objects.requireNonNull(task, "task");
        checkThread();
        if (closed) {
            return executor.refused(OfferResult.CLOSED);
        }
        if (lane == null) {
            return executor.tryExecute(task);
        }
        if (executor.isShutdown()) {
            return executor.refused(OfferResult.CLOSED);
        }
        long seq;
        try {
            seq = ring.tryNext();
        } catch (InsufficientCapacityException e) {
            return executor.refused(OfferResult.FULL);
        }
        return fill(seq, task, null, null) ? OfferResult.ACCEPTED : executor.refused(OfferResult.CLOSED);
    }

    @Override
    public int tryExecuteAll(Runnable[] tasks, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, tasks.length);
        for (int i = offset; i < offset + length; i++) {
            if (tasks[i] == null) { // not requireNonNull(.., message): the message would be built for every task
                throw new NullPointerException("tasks[" + i + "]");
            }
        }
        checkThread();
        if (closed) {
            return 0;
        }
        if (lane == null) {
            int n = 0;
            while (n < length && executor.tryExecute(tasks[offset + n]) == OfferResult.ACCEPTED) {
                n++;
            }
            return n;
        }
        if (executor.isShutdown() || length == 0) {
            return 0;
        }
        int n = (int) Math.min(length, ring.remainingCapacity());
        long hi;
        try {
            hi = n == 0 ? -1 : ring.tryNext(n);
        } catch (InsufficientCapacityException e) {
            hi = -1;
        }
        if (hi < 0) {
            executor.refused(OfferResult.FULL);
            return 0;
        }
        long lo = hi - n + 1;
        boolean live;
        try {
            live = announceAndCheck(hi);
            for (long seq = lo; seq <= hi; seq++) {
                TaskSlot slot = ring.get(seq);
                slot.task = live ? tasks[offset + (int) (seq - lo)] : null;
                slot.callable = null;
                slot.future = null;
                slot.owner = TaskSlot.ANY_WORKER;
                slot.stamp(live ? seq : ~seq);
            }
            ring.publish(lo, hi);
        } catch (Throwable t) {
            lane.abandoned = hi; // no method call before this store: see fill
            if (!publishedLive(hi)) {
                throw t;
            }
            live = true; // the error struck after the publish: accepted, unless withdrawn below (as without it)
        }
        long accepted = live ? withdrawnFrom(lo, hi) - lo : 0;
        for (long i = accepted; i < n; i++) {
            executor.countCancelled();
        }
        return (int) accepted;
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        check();
        if (lane == null) {
            return executor.submit(task);
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        if (!publish(null, task, f)) {
            executor.runInCaller(task, f);
        }
        return f;
    }

    @Override
    public void executeKeyed(long key, Runnable task) {
        check();
        executor.executeKeyed(key, task);
    }

    @Override
    public void executeKeyed(Object key, Runnable task) {
        check();
        executor.executeKeyed(key, task);
    }

    @Override
    public <T> CompletableFuture<T> submitKeyed(long key, Callable<T> task) {
        check();
        return executor.submitKeyed(key, task);
    }

    @Override
    public <T> CompletableFuture<T> submitKeyed(Object key, Callable<T> task) {
        check();
        return executor.submitKeyed(key, task);
    }

    @Override
    public Thread owner() {
        return owner;
    }

    @Override
    public void close() {
        if (Thread.currentThread() != owner && owner.isAlive()) {
            throw new SubmitterThreadException(executor.name(), owner, Thread.currentThread());
        }
        if (closed) {
            return;
        }
        closed = true;
        if (lane != null) {
            lane.release(); // after the owner's last publish: the worker retires the lane once it is empty
        }
    }

    /**
     * Claims a lane slot (following the overflow policy when the lane is full) and publishes the task in it.
     *
     * @return false when the task must run on the caller (caller-runs)
     * @throws io.vela.engine.RingRejectedException when refused
     */
    private boolean publish(Runnable task, Callable<?> callable, CompletableFuture<?> future) {
        if (executor.isShutdown()) {
            throw executor.closedException();
        }
        long seq;
        try {
            seq = ring.tryNext();
        } catch (InsufficientCapacityException e) {
            seq = executor.claimFull(false, ring);
            if (seq < 0) {
                return false;
            }
        }
        if (!fill(seq, task, callable, future)) {
            throw executor.closedException();
        }
        return true;
    }

    /**
     * The close protocol for claimed slot {@code seq} (ADR 0015): announces the claim ({@code lastClaimed}, a
     * volatile store), reads the executor's {@code closed} (a volatile read), then fills and publishes the slot —
     * live if the executor was open (a drain or sweep that starts later reads the announcement and waits for the
     * publish), cancelled if it was closing (nobody runs a slot whose stamp is not its sequence). Never waits.
     *
     * <p>Nothing here runs user code. An {@code Error} striking between the claim and the publish (a
     * {@code StackOverflowError}) leaves the slot claimed but unpublished: the catch records it as abandoned with a
     * field store (no method call, so it cannot overflow the stack itself), and the drain and the sweep stop waiting
     * for it; a later publish exposes it: skipped if its stamp is stale, run if the error struck after the stamp
     * store (outcome unknown, at most once). If the error struck after the publish (in the wait strategy's
     * wake-up) and the slot is live, the task was accepted: the error is dropped, as the shared ring does — and the
     * call goes on to the withdrawal check like a normal publish (a slot the shutdown sweep gave up on while this
     * thread was stopped before its publish is withdrawn and the call refused, not left accepted and unrun).
     *
     * @return true if accepted; false if refused (the slot was published as cancelled and will never run)
     */
    @SuppressWarnings("unchecked")
    private boolean fill(long seq, Runnable task, Callable<?> callable, CompletableFuture<?> future) {
        boolean live;
        try {
            live = announceAndCheck(seq);
            TaskSlot slot = ring.get(seq);
            slot.task = live ? task : null;
            slot.callable = live ? callable : null;
            slot.future = live ? (CompletableFuture<Object>) future : null;
            slot.owner = TaskSlot.ANY_WORKER;
            slot.stamp(live ? seq : ~seq);
            ring.publish(seq);
        } catch (Throwable t) {
            lane.abandoned = seq;
            if (!publishedLive(seq)) {
                throw t;
            }
            live = true; // the error struck after the publish: accepted, unless withdrawn below (as without it)
        }
        if (live && withdrawnFrom(seq, seq) == seq) {
            live = false;
        }
        if (!live) {
            executor.countCancelled();
        }
        return live;
    }

    /**
     * After publishing {@code [lo, hi]} live: re-reads the executor's {@code closed}; if it closed meanwhile, asks
     * the lane which of those slots the shutdown sweep gave up on while this thread was stopped between its
     * {@code closed} read and its publish ({@link SubmitterLane#giveUpFrom}): those are withdrawn (refused), not
     * accepted and left unrun. A halted worker never reads the lane again.
     *
     * @return the first slot withdrawn, or {@code hi + 1} if none
     */
    private long withdrawnFrom(long lo, long hi) {
        return executor.isShutdown() ? lane.withdrawnFrom(lo, hi) : hi + 1;
    }

    /**
     * The store-load pair of the close protocol: a volatile store of {@code lastClaimed}, then a volatile read of
     * the executor's {@code closed}.
     *
     * @return true if the executor was open: the claimed slots up to {@code last} may be published live
     */
    private boolean announceAndCheck(long last) {
        lane.lastClaimed.setVolatile(last);
        return !executor.isShutdown();
    }

    /** @return true if slot {@code seq} was published live (an error in the publish struck after that) */
    private boolean publishedLive(long seq) {
        return ring.getCursor() >= seq && ring.get(seq).stamp == seq;
    }

    private void check() {
        checkThread();
        if (closed) {
            throw new RingClosedException(executor.name(), ring == null ? 0 : ring.getBufferSize(),
                    "this TaskSubmitter of ring '" + executor.name() + "' is closed");
        }
    }

    private void checkThread() {
        Thread t = Thread.currentThread();
        if (t != owner) {
            throw new SubmitterThreadException(executor.name(), owner, t);
        }
    }
}
