package io.vela.engine.internal;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingExecutor;
import io.vela.engine.RingFullException;
import io.vela.engine.RingStats;
import io.vela.engine.ShutdownReport;
import io.vela.engine.TaskErrorHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ring executor: one multi-producer Disruptor ring of {@link TaskSlot}s, read by every worker (ADR 0001).
 *
 * <pre>
 *   submitters ──claim/publish──▶ [ ring of TaskSlot ] ──▶ worker 0: runs slots keyed to 0, and unkeyed slots it wins
 *                                                       └─▶ worker 1: runs slots keyed to 1, and unkeyed slots it wins
 * </pre>
 *
 * Any thread may submit. {@code execute} of a prebuilt {@code Runnable} allocates nothing; {@code submit}
 * allocates its {@link CompletableFuture}; rejection allocates its exception.
 *
 * <p>No accepted task is lost to a racing close: a publisher re-reads {@code closed} after claiming its slot; if
 * it sees the ring closing it publishes the slot as cancelled and throws, otherwise the close has not yet begun
 * and the draining workers, which read the cursor after seeing the close, will reach the slot.
 */
public final class RingExecutorImpl extends AbstractExecutorService implements RingExecutor, RingStats {
    private static final Logger LOG = LoggerFactory.getLogger(RingExecutorImpl.class);

    private final String name;
    private final RingBuffer<TaskSlot> ring;
    private final ExecutorWorker[] workers;
    private final OverflowPolicy policy;
    private final long blockTimeoutNanos;
    private final TaskErrorHandler errorHandler;
    private final CountDownLatch terminated;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final ClaimSequence unkeyedClaims = new ClaimSequence();
    private volatile boolean closed;

    /**
     * @param name              ring name, used in thread names and errors
     * @param workerCount       worker threads
     * @param ringSize          slots (a power of two)
     * @param waitStrategy      how workers wait (resolved, not {@code AUTO})
     * @param policy            what a submitter does when the ring is full
     * @param blockTimeout      how long {@code BLOCK_TIMEOUT} waits
     * @param errorHandler      receives what tasks throw
     */
    public RingExecutorImpl(String name, int workerCount, int ringSize, io.vela.engine.WaitStrategy waitStrategy,
            OverflowPolicy policy, Duration blockTimeout, TaskErrorHandler errorHandler) {
        this.name = name;
        this.policy = policy;
        this.blockTimeoutNanos = blockTimeout.toNanos();
        this.errorHandler = errorHandler;
        this.ring = RingBuffer.createMultiProducer(TaskSlot::new, ringSize, waitStrategy.newRingStrategy());
        this.workers = new ExecutorWorker[workerCount];
        Sequence[] gating = new Sequence[workerCount];
        for (int i = 0; i < workerCount; i++) {
            workers[i] = new ExecutorWorker(this, i, ring, ring.newBarrier(), workerCount == 1,
                    waitStrategy.spinning());
            gating[i] = workers[i].sequence;
        }
        ring.addGatingSequences(gating);
        this.terminated = new CountDownLatch(workerCount);
    }

    /**
     * Starts the worker threads, named {@code prefix-name-i}.
     *
     * @param factory    makes the threads
     * @param namePrefix thread name prefix
     * @return this
     */
    public RingExecutorImpl start(ThreadFactory factory, String namePrefix) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(name + " already started");
        }
        for (ExecutorWorker w : workers) {
            Threads.start(factory, namePrefix + "-" + name + "-" + w.index, () -> {
                try {
                    w.run();
                } finally {
                    terminated.countDown();
                }
            });
        }
        return this;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        long seq = claim(false);
        if (seq < 0) {
            task.run();
            return;
        }
        fill(seq, TaskSlot.ANY_WORKER, task, null, null);
    }

    @Override
    public void executeKeyed(long key, Runnable task) {
        Objects.requireNonNull(task, "task");
        fill(claim(true), ownerOf(key), task, null, null);
    }

    @Override
    public void executeKeyed(Object key, Runnable task) {
        executeKeyed((long) key.hashCode(), task);
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        CompletableFuture<T> f = new CompletableFuture<>();
        long seq = claim(false);
        if (seq < 0) {
            runInCaller(task, f);
        } else {
            fill(seq, TaskSlot.ANY_WORKER, null, task, f);
        }
        return f;
    }

    @Override
    public <T> CompletableFuture<T> submitKeyed(Object key, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        CompletableFuture<T> f = new CompletableFuture<>();
        fill(claim(true), ownerOf(key.hashCode()), null, task, f);
        return f;
    }

    @Override
    public CompletableFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return submit(() -> {
            task.run();
            return result;
        });
    }

    private static <T> void runInCaller(Callable<T> task, CompletableFuture<T> f) {
        try {
            f.complete(task.call());
        } catch (Throwable t) {
            f.completeExceptionally(t);
        }
    }

    private int ownerOf(long key) {
        if (workers.length == 1) {
            return TaskSlot.ANY_WORKER;
        }
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) ((h >>> 32) % workers.length);
    }

    @SuppressWarnings("unchecked")
    private void fill(long seq, int owner, Runnable task, Callable<?> callable, CompletableFuture<?> future) {
        TaskSlot slot = ring.get(seq);
        slot.task = task;
        slot.callable = callable;
        slot.future = (CompletableFuture<Object>) future;
        if (closed) {
            slot.owner = TaskSlot.CANCELLED;
            ring.publish(seq);
            cancelled.incrementAndGet();
            throw reject("is shut down");
        }
        slot.owner = owner;
        ring.publish(seq);
    }

    /** @return the claimed sequence, or -1 when the caller must run the task itself */
    private long claim(boolean keyed) {
        if (closed) {
            throw reject("is shut down");
        }
        try {
            return ring.tryNext();
        } catch (InsufficientCapacityException e) {
            return claimFull(keyed);
        }
    }

    private long claimFull(boolean keyed) {
        switch (policy) {
            case FAIL_FAST:
                throw reject("is full (overflow policy fail-fast)");
            case CALLER_RUNS:
                if (!keyed) {
                    return -1;
                }
                return claimBlocking(Long.MAX_VALUE);
            case BLOCK_TIMEOUT:
                return claimBlocking(blockTimeoutNanos);
            case BLOCK:
            default:
                return claimBlocking(Long.MAX_VALUE);
        }
    }

    private long claimBlocking(long timeoutNanos) {
        long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        for (int attempt = 0; ; attempt++) {
            if (closed) {
                throw reject("is shut down");
            }
            try {
                return ring.tryNext();
            } catch (InsufficientCapacityException e) {
                if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                    throw reject("stayed full for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                            + " ms (overflow policy block-timeout)");
                }
                Backoff.pause(attempt);
            }
        }
    }

    private RingFullException reject(String why) {
        rejected.incrementAndGet();
        return new RingFullException(name, ring.getBufferSize(),
                "ring '" + name + "' (capacity " + ring.getBufferSize() + ") " + why);
    }

    void onTaskError(Object task, Throwable t) {
        try {
            errorHandler.onError(name, task, t);
        } catch (Throwable inHandler) {
            LOG.error("Error handler of ring '{}' threw", name, inHandler);
        }
    }

    // ---- lifecycle

    @Override
    public ShutdownReport shutdown(Duration deadline) {
        long start = System.nanoTime();
        beginClose();
        boolean drained;
        try {
            drained = terminated.await(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        long notRun = 0;
        if (!drained) {
            halt();
            long held = 0;
            for (ExecutorWorker w : workers) {
                held += w.heldNotRun();
            }
            List<Runnable> left = sweep();
            notRun = left.size() + held;
            RingFullException why = new RingFullException(name, ring.getBufferSize(),
                    "ring '" + name + "' shut down before this task ran (deadline " + deadline.toMillis() + " ms)");
            for (Runnable r : left) {
                if (r instanceof NotRun n && n.future != null) {
                    n.future.completeExceptionally(why);
                }
            }
            LOG.warn("Ring '{}' did not drain within {} ms: {} accepted task(s) not run ({} of them claimed by a busy "
                    + "worker, which runs them when its current task returns)", name, deadline.toMillis(), notRun, held);
        }
        return new ShutdownReport(name, drained, notRun, Duration.ofNanos(System.nanoTime() - start));
    }

    private void beginClose() {
        closed = true;
        for (ExecutorWorker w : workers) {
            w.alert();
        }
    }

    private void halt() {
        for (ExecutorWorker w : workers) {
            w.halt = true;
            w.alert();
        }
    }

    /** Claims every published slot no worker took, oldest first, so no worker will run it. */
    private List<Runnable> sweep() {
        long min = Long.MAX_VALUE;
        for (ExecutorWorker w : workers) {
            min = Math.min(min, w.sequence.get());
        }
        long cursor = ring.getCursor();
        List<Runnable> left = new ArrayList<>();
        for (long seq = min + 1; seq <= cursor; seq++) {
            awaitPublished(seq);
            TaskSlot slot = ring.get(seq);
            int o = slot.owner;
            if ((o == TaskSlot.ANY_WORKER && unkeyedClaims.claim(seq)) || (o >= 0 && workers[o].own.claim(seq))) {
                left.add(new NotRun(slot.asRunnable(), slot.future));
            }
        }
        return left;
    }

    private void awaitPublished(long seq) {
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        for (int attempt = 0; !ring.isAvailable(seq) && System.nanoTime() - giveUp < 0; attempt++) {
            Backoff.pause(attempt);
        }
    }

    /** A task returned by {@code shutdownNow}: runs what the slot held. */
    private record NotRun(Runnable body, CompletableFuture<Object> future) implements Runnable {
        @Override
        public void run() {
            body.run();
        }
    }

    @Override
    public void shutdown() {
        beginClose();
    }

    @Override
    public List<Runnable> shutdownNow() {
        closed = true;
        halt();
        return sweep();
    }

    @Override
    public boolean isShutdown() {
        return closed;
    }

    @Override
    public boolean isTerminated() {
        return closed && terminated.getCount() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    @Override
    public void close() {
        shutdown(Duration.ofDays(1));
    }

    // ---- stats

    @Override
    public RingStats stats() {
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int capacity() {
        return ring.getBufferSize();
    }

    @Override
    public long published() {
        return ring.getCursor() + 1 - cancelled.get();
    }

    @Override
    public long completed() {
        long sum = 0;
        for (ExecutorWorker w : workers) {
            sum += w.completed();
        }
        return sum;
    }

    @Override
    public long rejected() {
        return rejected.get();
    }

    @Override
    public long failed() {
        long sum = 0;
        for (ExecutorWorker w : workers) {
            sum += w.failed();
        }
        return sum;
    }

    @Override
    public long remainingCapacity() {
        return ring.remainingCapacity();
    }

    @Override
    public long largestBatch() {
        long max = 0;
        for (ExecutorWorker w : workers) {
            max = Math.max(max, w.largestBatch());
        }
        return max;
    }

    ClaimSequence unkeyedClaims() {
        return unkeyedClaims;
    }

    /** @return the workers, for the watchdog */
    ExecutorWorker[] workers() {
        return workers;
    }

    /** @return the ring's cursor, for the watchdog */
    long cursor() {
        return ring.getCursor();
    }

    @Override
    public String toString() {
        return "RingExecutor[" + name + ", workers=" + workers.length + ", capacity=" + capacity() + "]";
    }
}
