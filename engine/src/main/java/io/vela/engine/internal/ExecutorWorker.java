package io.vela.engine.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker of a {@link RingExecutorImpl}: a consumer that sees every slot of the shared ring and runs the slots
 * it owns (keyed to it) or wins (unkeyed, by CAS on the slot's state).
 *
 * <p>Only its own thread runs {@link #run()}; counters are single-writer fields published with release stores
 * once per batch and readable from any thread. Allocates nothing per task.
 */
final class ExecutorWorker implements Runnable {
    private static final VarHandle COMPLETED;
    private static final VarHandle FAILED;
    private static final VarHandle LARGEST_BATCH;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COMPLETED = l.findVarHandle(ExecutorWorker.class, "completed", long.class);
            FAILED = l.findVarHandle(ExecutorWorker.class, "failed", long.class);
            LARGEST_BATCH = l.findVarHandle(ExecutorWorker.class, "largestBatch", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int index;
    final Sequence sequence = new Sequence(-1);
    private final RingExecutorImpl owner;
    private final RingBuffer<TaskSlot> ring;
    private final SequenceBarrier barrier;

    private long completed;
    private long failed;
    private long largestBatch;
    volatile boolean halt;
    volatile Thread thread;

    ExecutorWorker(RingExecutorImpl owner, int index, RingBuffer<TaskSlot> ring, SequenceBarrier barrier) {
        this.owner = owner;
        this.index = index;
        this.ring = ring;
        this.barrier = barrier;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long next = sequence.get() + 1;
        while (true) {
            try {
                long available = barrier.waitFor(next);
                if (available >= next) {
                    next = runBatch(next, available);
                }
            } catch (AlertException e) {
                if (!halt) {
                    drain(next);
                }
                return;
            } catch (TimeoutException e) {
                // a timeout strategy woke us without work: wait again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Runs slots {@code [next, available]} that are ours; returns the next sequence to wait for.
     */
    private long runBatch(long next, long available) {
        long done = 0;
        long fails = 0;
        long seq = next;
        for (; seq <= available; seq++) {
            if (halt) {
                break;
            }
            TaskSlot slot = ring.get(seq);
            if ((slot.owner == TaskSlot.ANY_WORKER || slot.owner == index) && slot.take()) {
                done++;
                if (!runSlot(slot)) {
                    fails++;
                }
            }
        }
        long batch = seq - next;
        sequence.set(seq - 1);
        publishCounters(done, fails, batch);
        return seq;
    }

    private boolean runSlot(TaskSlot slot) {
        Runnable task = slot.task;
        java.util.concurrent.Callable<?> callable = slot.callable;
        java.util.concurrent.CompletableFuture<Object> future = slot.future;
        slot.clear();
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
     * After close: runs what was accepted, including slots claimed before close whose publisher has not published
     * yet, until this worker has seen every claimed slot or is halted.
     */
    private void drain(long next) {
        long seq = next;
        int idle = 0;
        while (!halt && seq <= ring.getCursor()) {
            if (ring.isAvailable(seq)) {
                long end = seq;
                long cursor = ring.getCursor();
                while (end + 1 <= cursor && ring.isAvailable(end + 1)) {
                    end++;
                }
                seq = runBatch(seq, end);
                idle = 0;
            } else if (++idle < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void publishCounters(long done, long fails, long batch) {
        if (done != 0) {
            COMPLETED.setRelease(this, completed + done);
        }
        if (fails != 0) {
            FAILED.setRelease(this, failed + fails);
        }
        if (batch > largestBatch) {
            LARGEST_BATCH.setRelease(this, batch);
        }
    }

    long completed() {
        return (long) COMPLETED.getAcquire(this);
    }

    long failed() {
        return (long) FAILED.getAcquire(this);
    }

    long largestBatch() {
        return (long) LARGEST_BATCH.getAcquire(this);
    }

    void alert() {
        barrier.alert();
    }
}
