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
 * <p>Publish, per task: a closed check, the single-producer claim (no CAS), the slot's fields, the publish (a
 * release store of the lane's cursor, and the wait strategy's signal), then a volatile store of
 * {@code lastPublished} and a volatile read of the executor's {@code closed} — the close protocol, proved in the ADR.
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
        if (lane == null) {
            return executor.tryExecute(task);
        }
        if (closed || executor.isShutdown()) {
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
            Objects.requireNonNull(tasks[i], "tasks[" + i + "]");
        }
        checkThread();
        if (lane == null) {
            int n = 0;
            while (n < length && executor.tryExecute(tasks[offset + n]) == OfferResult.ACCEPTED) {
                n++;
            }
            return n;
        }
        if (closed || executor.isShutdown() || length == 0) {
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
        for (long seq = lo; seq <= hi; seq++) {
            TaskSlot slot = ring.get(seq);
            slot.task = tasks[offset + (int) (seq - lo)];
            slot.callable = null;
            slot.future = null;
            slot.owner = TaskSlot.ANY_WORKER;
            slot.stamp = seq;
        }
        ring.publish(lo, hi);
        long accepted = settle(hi) - lo + 1; // the slots up to the final sequence, if the executor closed meanwhile
        int count = (int) Math.max(0, Math.min(n, accepted));
        for (int i = count; i < n; i++) {
            executor.countCancelled();
        }
        return count;
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
     * Fills and publishes claimed slot {@code seq}, then runs the close protocol: a volatile store of
     * {@code lastPublished}, a volatile read of {@code closed}. If the executor was still open, the drain will see
     * the slot; if it was closing, whoever fixes the lane's final sequence decides, and this waits for it.
     *
     * <p>Nothing here can throw for a user's reason. An {@code Error} striking between the claim and the stamp
     * store leaves a slot whose stamp is not its sequence: the worker skips it when a later publish exposes it.
     *
     * @return true if accepted; false if refused (the slot will never run)
     */
    @SuppressWarnings("unchecked")
    private boolean fill(long seq, Runnable task, Callable<?> callable, CompletableFuture<?> future) {
        TaskSlot slot = ring.get(seq);
        slot.task = task;
        slot.callable = callable;
        slot.future = (CompletableFuture<Object>) future;
        slot.owner = TaskSlot.ANY_WORKER;
        slot.stamp = seq;
        ring.publish(seq);
        if (seq <= settle(seq)) {
            return true; // the executor was open; or it closed, and the drain ran it or the sweep took it
        }
        executor.countCancelled();
        return false;
    }

    /**
     * The close protocol after publishing up to {@code last} (ADR 0015): a volatile store of
     * {@code lastPublished}, then a volatile read of {@code closed}.
     *
     * @return {@code last} if the executor was open (everything published is accepted); else the lane's final
     *         sequence, once a drain or the sweep has fixed it (the published slots up to it are accepted, the
     *         rest refused)
     */
    private long settle(long last) {
        lane.lastPublished.setVolatile(last);
        if (!executor.isShutdown()) {
            return last;
        }
        return lane.awaitFinal();
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
