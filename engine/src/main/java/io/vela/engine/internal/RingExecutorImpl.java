package io.vela.engine.internal;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.Sequenced;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingExecutor;
import io.vela.engine.OfferResult;
import io.vela.engine.RingClosedException;
import io.vela.engine.RingFullException;
import io.vela.engine.RingStats;
import io.vela.engine.ShutdownReport;
import io.vela.engine.TaskSubmitter;
import io.vela.engine.TaskErrorHandler;
import io.vela.engine.counters.CounterTypes;
import io.vela.engine.counters.VelaCounters;
import io.vela.engine.internal.jfr.RejectionEvents;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;
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
 * Beside the shared ring, a thread may take a {@link TaskSubmitter} ({@link #newSubmitter()}): a single-producer
 * lane of its own, read by one worker, with no CAS per task (ADR 0015, {@link SubmitterLane}).
 *
 * <p>Any thread may submit. {@code execute} and {@code tryExecute} of a prebuilt {@code Runnable} allocate nothing
 * (waiting on a full ring uses a back-off made once per thread); {@code submit} allocates its
 * {@link CompletableFuture}; a rejection by exception allocates the exception, a refused {@code tryExecute} nothing
 * (but for one JFR event object per 100 ms of refusals, ADR 0013). Its counters live in the runtime's counters file.
 * A worker of this executor never waits on its own full ring (ADR 0006): it runs an unkeyed task inline, and is
 * refused a keyed one.
 *
 * <p>No accepted task is lost to a racing close: a publisher re-reads {@code closed} after claiming its slot; if
 * it sees the ring closing it publishes the slot as cancelled and throws, otherwise the close has not yet begun
 * and the draining workers, which read the cursor after seeing the close, will reach the slot. A publisher stopped
 * between that read and its publish for longer than the shutdown sweep waits re-reads {@code closed} after
 * publishing and withdraws the slot the sweep gave up on ({@link #giveUpOn}): its call is refused rather than its task
 * accepted and never run. Costs one more read of {@code closed} per publish.
 */
public final class RingExecutorImpl extends AbstractExecutorService implements RingExecutor, RingStats {
    /** How deep a worker of this ring may nest unkeyed tasks it runs inline because its own ring was full. */
    static final int MAX_INLINE_DEPTH = 16;
    /** How long {@code shutdownNow}'s sweep waits for claimed slots to be published. */
    static final long UNPUBLISHED_WAIT_MS = 1_000;
    /** At most this much of a shutdown's deadline is kept for halting and sweeping. */
    static final long SWEEP_RESERVE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final VarHandle ABANDONED = MethodHandles.arrayElementVarHandle(long[].class);
    private static final Logger LOG = LoggerFactory.getLogger(RingExecutorImpl.class);

    private final String name;
    private final RingBuffer<TaskSlot> ring;
    private final ExecutorWorker[] workers;
    private final OverflowPolicy policy;
    private final long blockTimeoutNanos;
    private final TaskErrorHandler errorHandler;
    private final CountDownLatch terminated;
    private final AtomicBoolean started = new AtomicBoolean();
    private final ExecutorSweep sweep;
    /** Shared counters (any submitter writes them): {@code getAndAdd}, in the runtime's counters file. */
    private final AtomicCounter rejected;
    private final AtomicCounter cancelled;
    private final AtomicCounter callerRan;
    private final AtomicCounter callerFailed;
    private final RejectionEvents rejections;
    private final ClaimSequence unkeyedClaims = new ClaimSequence();
    /** Workers stood in for right now (ADR 0019): each worker reads it once per batch of the shared ring. */
    private final java.util.concurrent.atomic.AtomicInteger standingIn = new java.util.concurrent.atomic.AtomicInteger();
    /** Stand-ins granted, in the runtime's counters file. */
    private final AtomicCounter standIns;
    /** Sequences abandoned between claim and publish, by ring index ({@link #claimAndPublish}); -1 when none. */
    private final long[] abandoned;
    /**
     * Slots the shutdown sweep gave up on (claimed, still unpublished at its deadline), guarded by itself: a
     * publisher that sees the close after publishing withdraws its slot if it is here ({@link #giveUpOn}).
     */
    private final org.agrona.collections.LongHashSet givenUp = new org.agrona.collections.LongHashSet();
    private final long mask;
    private volatile boolean closed;
    /** The executor's Disruptor wait strategy: the shared ring's, and every lane's (one instance, ADR 0015). */
    private final com.lmax.disruptor.WaitStrategy ringWait;
    private final int laneSize;
    /** Every open lane; guarded by itself. */
    private final List<SubmitterLane> lanes = new ArrayList<>();
    /** Tasks published on lanes since retired (guarded by {@link #lanes}). */
    private long retiredLanePublished;

    /**
     * @param name              ring name, used in thread names and errors
     * @param workerCount       worker threads
     * @param ringSize          slots (a power of two)
     * @param waitStrategy      how workers wait (resolved, not {@code AUTO})
     * @param policy            what a submitter does when the ring is full
     * @param blockTimeout      how long {@code BLOCK_TIMEOUT} waits
     * @param errorHandler      receives what tasks throw
     * @param counters          where its counters live
     */
    public RingExecutorImpl(String name, int workerCount, int ringSize, io.vela.engine.WaitStrategy waitStrategy,
            OverflowPolicy policy, Duration blockTimeout, TaskErrorHandler errorHandler, VelaCounters counters) {
        this(name, workerCount, ringSize, io.vela.engine.Settings.EXECUTOR_LANE_SIZE.defaultValue(), waitStrategy,
                policy, blockTimeout, errorHandler, counters);
    }

    /**
     * @param name              ring name, used in thread names and errors
     * @param workerCount       worker threads
     * @param ringSize          slots (a power of two)
     * @param laneSize          slots of each submitter lane (a power of two)
     * @param waitStrategy      how workers wait (resolved, not {@code AUTO})
     * @param policy            what a submitter does when the ring is full
     * @param blockTimeout      how long {@code BLOCK_TIMEOUT} waits
     * @param errorHandler      receives what tasks throw
     * @param counters          where its counters live
     */
    public RingExecutorImpl(String name, int workerCount, int ringSize, int laneSize,
            io.vela.engine.WaitStrategy waitStrategy, OverflowPolicy policy, Duration blockTimeout,
            TaskErrorHandler errorHandler, VelaCounters counters) {
        this.name = name;
        this.laneSize = laneSize;
        this.rejected = counters.newCounter(CounterTypes.RING, name, "rejected");
        this.cancelled = counters.newCounter(CounterTypes.RING, name, "cancelled");
        this.callerRan = counters.newCounter(CounterTypes.RING, name, "caller-ran");
        this.callerFailed = counters.newCounter(CounterTypes.RING, name, "caller-failed");
        this.standIns = counters.newCounter(CounterTypes.RING, name, "stand-ins");
        this.rejections = new RejectionEvents(name);
        this.policy = policy;
        this.blockTimeoutNanos = blockTimeout.toNanos();
        this.errorHandler = errorHandler;
        this.ringWait = waitStrategy.newRingStrategy();
        this.ring = RingBuffer.createMultiProducer(TaskSlot::new, ringSize, ringWait);
        this.abandoned = new long[ringSize];
        java.util.Arrays.fill(abandoned, -1L);
        this.mask = ringSize - 1;
        this.workers = new ExecutorWorker[workerCount];
        Sequence[] gating = new Sequence[workerCount];
        for (int i = 0; i < workerCount; i++) {
            workers[i] = new ExecutorWorker(this, i, ring, ring.newBarrier(), ringWait, workerCount == 1,
                    waitStrategy.spinning(), counters);
            gating[i] = new StandIn.Gating(workers[i]); // its sequence, or what others covered for it (ADR 0019)
        }
        ring.addGatingSequences(gating);
        this.sweep = new ExecutorSweep(this, ring, workers, unkeyedClaims);
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
    public TaskSubmitter newSubmitter() {
        Thread me = Thread.currentThread();
        if (closed) {
            throw closedException();
        }
        if (currentWorker() != null) {
            return new LaneSubmitter(this, null, me); // a worker never waits on a lane a worker reads (ADR 0006)
        }
        SubmitterLane lane;
        synchronized (lanes) {
            releaseLanesOfEndedThreads();
            // the worker with the fewest lanes, but not one stood in for (stuck in a task, ADR 0019) if another is not
            ExecutorWorker least = null;
            for (ExecutorWorker w : workers) {
                if (least == null || stuck(least) && !stuck(w)
                        || stuck(least) == stuck(w) && w.lanes.size() < least.lanes.size()) {
                    least = w;
                }
            }
            lane = new SubmitterLane(this, least, me, laneSize, ringWait);
            lanes.add(lane);
            least.lanes.add(lane);
        }
        if (closed) { // after registering: a drain that began before sees the lane (ADR 0015)
            lane.release();
            throw closedException();
        }
        return new LaneSubmitter(this, lane, me);
    }

    private static boolean stuck(ExecutorWorker w) {
        return w.standIn.state() == StandIn.GRANTED;
    }

    /** Marks the lanes of threads that ended without closing their submitter as released (under the lock). */
    private void releaseLanesOfEndedThreads() {
        for (SubmitterLane l : lanes) {
            if (!l.owner.isAlive() && !l.released) {
                l.release();
            }
        }
    }

    /** Takes a released, drained lane off its worker. */
    void retire(SubmitterLane lane) {
        synchronized (lanes) {
            if (lanes.remove(lane)) {
                lane.worker.lanes.remove(lane);
                retiredLanePublished += lane.lastClaimed.get() + 1;
            }
        }
    }

    /** @return a snapshot of the open lanes, for the shutdown sweep */
    SubmitterLane[] lanes() {
        synchronized (lanes) {
            return lanes.toArray(new SubmitterLane[0]);
        }
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (claimAndPublish(false, TaskSlot.ANY_WORKER, task, null, null) < 0) {
            runInCaller(task);
        }
    }

    @Override
    public void executeKeyed(long key, Runnable task) {
        Objects.requireNonNull(task, "task");
        claimAndPublish(true, ownerOf(key), task, null, null);
    }

    @Override
    public void executeKeyed(Object key, Runnable task) {
        executeKeyed(hash(key), task);
    }

    @Override
    public OfferResult tryExecute(Runnable task) {
        Objects.requireNonNull(task, "task");
        OfferResult r = offer(TaskSlot.ANY_WORKER, task);
        if (r != OfferResult.ACCEPTED) {
            rejections.rejected(rejected.increment() + 1);
        }
        return r;
    }

    @Override
    public OfferResult tryExecuteKeyed(long key, Runnable task) {
        Objects.requireNonNull(task, "task");
        OfferResult r = offer(ownerOf(key), task);
        if (r != OfferResult.ACCEPTED) {
            rejections.rejected(rejected.increment() + 1);
        }
        return r;
    }

    /**
     * {@link #tryExecute} without counting a refusal: for the timer, which offers a task again on every duty cycle
     * while the ring is full.
     */
    OfferResult offer(Runnable task) {
        return offer(TaskSlot.ANY_WORKER, task);
    }

    private OfferResult offer(int owner, Runnable task) {
        if (closed) {
            return OfferResult.CLOSED;
        }
        long seq;
        try {
            seq = ring.tryNext();
        } catch (InsufficientCapacityException e) {
            return OfferResult.FULL;
        }
        boolean accepted;
        try {
            accepted = publish(seq, owner, task, null, null);
        } catch (Throwable t) {
            abandoned[(int) (seq & mask)] = seq; // no call before this store: see claimAndPublish
            if (publishedLive(seq)) {
                return keptAfterError(seq) ? OfferResult.ACCEPTED : OfferResult.CLOSED;
            }
            throw t;
        }
        return accepted ? OfferResult.ACCEPTED : OfferResult.CLOSED;
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        CompletableFuture<T> f = new CompletableFuture<>();
        if (claimAndPublish(false, TaskSlot.ANY_WORKER, null, task, f) < 0) {
            runInCaller(task, f);
        }
        return f;
    }

    @Override
    public <T> CompletableFuture<T> submitKeyed(Object key, Callable<T> task) {
        return submitKeyed(hash(key), task);
    }

    @Override
    public <T> CompletableFuture<T> submitKeyed(long key, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        int owner = ownerOf(key);
        CompletableFuture<T> f = new CompletableFuture<>();
        claimAndPublish(true, owner, null, task, f);
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

    /**
     * Claims a slot (following the overflow policy when the ring is full) and publishes the task in it.
     *
     * <p>Everything that can throw for a user's reason (a key's {@code hashCode}) is evaluated before this is
     * called. What remains is a {@link StackOverflowError} (or another {@code Error}) striking between the claim and
     * the publish: a claimed slot that is never published would stop every worker at it for good. The catch below
     * therefore records the sequence as abandoned with plain array stores (no method call, so it cannot overflow
     * the stack itself), and the first worker or sweep that waits on that slot publishes it as cancelled
     * ({@link #recoverAbandoned}); the caller gets the error, so the task was not accepted. If the error struck after
     * the slot became visible (in the wait strategy's wake-up), the task was accepted: the error is dropped and the
     * call returns normally, so that a task runs if and only if its submission returned — unless the sweep gave up
     * on the slot meanwhile ({@link #keptAfterError}): then it is refused, as a publish without the error would be.
     *
     * @return the published sequence, or -1 when the (unkeyed) task must run on the caller (caller-runs, or a
     *         worker of this ring finding it full)
     * @throws RingRejectedException when refused
     */
    private long claimAndPublish(boolean keyed, int owner, Runnable task, Callable<?> callable,
            CompletableFuture<?> future) {
        long seq = claim(keyed);
        if (seq < 0) {
            return -1;
        }
        boolean accepted;
        try {
            accepted = publish(seq, owner, task, callable, future);
        } catch (Throwable t) {
            abandoned[(int) (seq & mask)] = seq;
            if (publishedLive(seq)) { // the error struck after the slot became visible (waking the workers)
                if (keptAfterError(seq)) {
                    return seq;
                }
                throw closedException();
            }
            throw t;
        }
        if (!accepted) {
            throw closedException();
        }
        return seq;
    }

    /**
     * The check {@link #publish} makes after its publish, for a publish an {@code Error} cut short after the slot
     * became visible (in the wait strategy's wake-up): if the ring closed meanwhile and the shutdown sweep gave up on
     * the slot ({@link #giveUpOn}), the task is withdrawn and the call refused, as without the error. Catch path only.
     *
     * @return true if the task stays accepted
     */
    private boolean keptAfterError(long seq) {
        if (closed && withdrawn(seq)) {
            cancelled.increment();
            return false;
        }
        return true;
    }

    /** @return true if the slot was published with a task to run (an error in the publish struck after that) */
    private boolean publishedLive(long seq) {
        return ring.isAvailable(seq) && ring.get(seq).owner != TaskSlot.CANCELLED;
    }

    /**
     * Publishes, as cancelled, a slot whose publisher abandoned it between claim and publish. Called by a worker
     * or the sweep waiting on an unpublished slot; a no-op unless that slot was recorded as abandoned.
     *
     * @param seq the slot waited on
     * @return true if this call published it
     */
    boolean recoverAbandoned(long seq) {
        int i = (int) (seq & mask);
        if ((long) ABANDONED.getVolatile(abandoned, i) != seq || ring.isAvailable(seq)
                || !ABANDONED.compareAndSet(abandoned, i, seq, -1L)) {
            return false;
        }
        TaskSlot slot = ring.get(seq);
        slot.task = null;
        slot.callable = null;
        slot.future = null;
        slot.owner = TaskSlot.CANCELLED;
        ring.publish(seq);
        cancelled.increment();
        LOG.warn("Ring '{}': slot {} was claimed by a publisher that failed before publishing it (an Error such as "
                + "StackOverflowError inside execute/submit); published it as cancelled", name, seq);
        return true;
    }

    /**
     * Integral boxed keys hash by value, so {@code executeKeyed(7L, ..)}, {@code executeKeyed((Object) 7L, ..)} and
     * {@code submitKeyed(7, ..)} keep one order; any other key by its {@code hashCode}, evaluated before a slot is
     * claimed.
     */
    private static long hash(Object key) {
        Objects.requireNonNull(key, "key");
        if (key instanceof Long || key instanceof Integer || key instanceof Short || key instanceof Byte) {
            return ((Number) key).longValue();
        }
        return key.hashCode();
    }

    /** Runs an unkeyed task on the submitting thread (caller-runs), counted and reported as a worker would. */
    void runInCaller(Runnable task) {
        ExecutorWorker self = currentWorker();
        enterInline(self);
        try {
            task.run();
        } catch (Throwable t) {
            callerFailed.increment();
            onTaskError(task, t);
        } finally {
            exitInline(self);
        }
    }

    <T> void runInCaller(Callable<T> task, CompletableFuture<T> f) {
        ExecutorWorker self = currentWorker();
        enterInline(self);
        try {
            f.complete(task.call());
        } catch (Throwable t) {
            callerFailed.increment();
            f.completeExceptionally(t);
        } finally {
            exitInline(self);
        }
    }

    private void enterInline(ExecutorWorker self) {
        callerRan.increment();
        if (self != null) {
            self.inlineDepth++;
        }
    }

    private static void exitInline(ExecutorWorker self) {
        if (self != null) {
            self.inlineDepth--;
        }
    }

    private int ownerOf(long key) {
        if (workers.length == 1) {
            return TaskSlot.ANY_WORKER;
        }
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) ((h >>> 32) % workers.length);
    }

    /**
     * Fills and publishes a claimed slot. Nothing between the claim and the publish can throw (keys are hashed
     * before claiming); the {@code finally} still publishes the slot, as cancelled, if something does, so a claimed
     * slot never stays unpublished and blocks the workers.
     *
     * @return false if the ring closed meanwhile: the slot was published as cancelled and the task not accepted
     */
    @SuppressWarnings("unchecked")
    private boolean publish(long seq, int owner, Runnable task, Callable<?> callable, CompletableFuture<?> future) {
        TaskSlot slot = ring.get(seq);
        int published = TaskSlot.CANCELLED;
        try {
            slot.task = task;
            slot.callable = callable;
            slot.future = (CompletableFuture<Object>) future;
            if (!closed) {
                published = owner;
            }
        } finally {
            slot.owner = published;
            ring.publish(seq);
        }
        if (published == TaskSlot.CANCELLED || closed && withdrawn(seq)) {
            cancelled.increment();
            return false;
        }
        return true;
    }

    /**
     * The sweep's side of a slot still unpublished at its deadline: gives up on it unless it was published
     * meanwhile. Under the same lock as {@link #withdrawn}, so of a sweep giving up and a publisher that read
     * {@code closed} as false before publishing (stopped in between for longer than the sweep waits), exactly one
     * handles the task: the sweep takes it if the publish came first, else the publisher, seeing the close when it
     * re-reads {@code closed} after its publish, withdraws it and is refused (the slot stays published but no worker
     * reads a halted ring again). A publisher's publish comes before its re-read; a sweep gives up at least a
     * millisecond after setting {@code closed} (it freezes the workers' positions first), far longer than a store
     * takes to become visible, so a publisher that re-read {@code closed} as false published before the sweep
     * looked.
     *
     * @param seq a claimed, unpublished slot
     * @return true if the sweep gave up on it (unknown), false if it is published now and the sweep takes it
     */
    boolean giveUpOn(long seq) {
        synchronized (givenUp) {
            if (ring.isAvailable(seq)) {
                return false;
            }
            givenUp.add(seq);
            return true;
        }
    }

    /** @return true if the sweep had given up on {@code seq}: the caller withdraws the task (slow path, closed only) */
    private boolean withdrawn(long seq) {
        synchronized (givenUp) {
            return givenUp.remove(seq);
        }
    }

    /** @return the claimed sequence, or -1 when the caller must run the (unkeyed) task itself */
    private long claim(boolean keyed) {
        if (closed) {
            throw closedException();
        }
        try {
            return ring.tryNext();
        } catch (InsufficientCapacityException e) {
            return claimFull(keyed, ring);
        }
    }

    /**
     * {@code r} (the shared ring, or a submitter's lane) was full: follows the overflow policy.
     *
     * @return the claimed sequence of {@code r}, or -1 when the caller must run the (unkeyed) task itself
     */
    long claimFull(boolean keyed, Sequenced r) {
        ExecutorWorker self = currentWorker();
        if (self != null && policy != OverflowPolicy.FAIL_FAST) {
            return claimFullOnWorker(keyed, self);
        }
        switch (policy) {
            case FAIL_FAST:
                throw fullException(r, "is full (overflow policy fail-fast)");
            case CALLER_RUNS:
                return keyed ? claimBlocking(r, Long.MAX_VALUE) : -1;
            case BLOCK_TIMEOUT:
                return claimBlocking(r, blockTimeoutNanos);
            case BLOCK:
            default:
                return claimBlocking(r, Long.MAX_VALUE);
        }
    }

    /**
     * A worker of this ring found it full. It must not wait: every worker's progress gates the ring, its own
     * included, so the wait could never end. An unkeyed task runs inline (nested at most
     * {@value #MAX_INLINE_DEPTH} deep); a keyed task cannot (it would overtake its key's earlier tasks) and is
     * refused.
     */
    private long claimFullOnWorker(boolean keyed, ExecutorWorker self) {
        if (keyed) {
            throw fullException("is full, and a worker of this ring cannot wait for it to drain (its own progress "
                    + "gates the ring); a keyed task cannot run inline, so it is refused");
        }
        if (self.inlineDepth >= MAX_INLINE_DEPTH) {
            throw fullException("is full, and a worker of this ring cannot wait for it to drain; it already runs "
                    + MAX_INLINE_DEPTH + " nested tasks inline");
        }
        return -1;
    }

    /** @return true when the calling thread is one of this executor's workers (it must never wait on the ring) */
    public boolean isWorkerThread() {
        return currentWorker() != null;
    }

    private ExecutorWorker currentWorker() {
        Thread t = Thread.currentThread();
        for (ExecutorWorker w : workers) {
            if (w.thread == t) {
                return w;
            }
        }
        return null;
    }

    /** Waits for a slot with Agrona's back-off (spin, yield, then park); an interrupt ends the wait. */
    private long claimBlocking(Sequenced r, long timeoutNanos) {
        long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        IdleStrategy idle = FullRingBackoff.get();
        while (true) {
            if (closed) {
                throw closedException();
            }
            try {
                return r.tryNext();
            } catch (InsufficientCapacityException e) {
                if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                    throw fullException(r, "stayed full for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                            + " ms (overflow policy block-timeout)");
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw fullException(r, "is full, and the submitting thread was interrupted while it waited "
                            + "(overflow policy " + policy.configName() + ")");
                }
                idle.idle();
            }
        }
    }

    private RingFullException fullException(String why) {
        return fullException(ring, why);
    }

    /** @param r the shared ring, or a submitter's lane (named as such) */
    private RingFullException fullException(Sequenced r, String why) {
        rejections.rejected(rejected.increment() + 1);
        String what = r == ring ? "ring '" + name + "'" : "a submitter lane of ring '" + name + "'";
        return new RingFullException(name, r.getBufferSize(),
                what + " (capacity " + r.getBufferSize() + ") " + why);
    }

    /** Counts and reports a refused offer. */
    OfferResult refused(OfferResult why) {
        rejections.rejected(rejected.increment() + 1);
        return why;
    }

    /** Counts a slot published but not accepted (a lane publish that lost the race with close). */
    void countCancelled() {
        cancelled.increment();
    }

    RingClosedException closedException() {
        rejections.rejected(rejected.increment() + 1);
        return new RingClosedException(name, ring.getBufferSize(),
                "ring '" + name + "' (capacity " + ring.getBufferSize() + ") is shut down");
    }

    /** A fault outside any task (reporting one failed). Never throws: the worker must carry on. */
    void onWorkerError(Throwable t) {
        Logging.errorQuietly(LOG, "A worker of ring '" + name + "' failed outside any task; it carries on", t);
    }

    /** Hands what a task threw to the error handler. Never throws, whatever the handler or the throwable do. */
    void onTaskError(Object task, Throwable t) {
        try {
            errorHandler.onError(name, task, t);
        } catch (Throwable inHandler) {
            Logging.errorQuietly(LOG, "Error handler of ring '" + name + "' threw", inHandler);
        }
    }

    // ---- lifecycle

    @Override
    public ShutdownReport shutdown(Duration deadline) {
        long start = System.nanoTime();
        long total = Threads.nanos(deadline);
        long end = Threads.endAfter(total);
        // the part of the deadline kept for halting and sweeping, so that the whole call keeps it
        long sweepTime = Math.min(total / 4, SWEEP_RESERVE_NANOS);
        beginClose();
        boolean drained;
        try {
            drained = terminated.await(Math.max(0, end - sweepTime - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        long notRun = 0;
        if (!drained) {
            List<String> interrupted = halt();
            ExecutorSweep.Swept swept = sweep.once(end);
            // a slot the sweep gave up on is not an accepted task: its publisher, if it ever resumes, withdraws it
            // and is refused (giveUpOn), so the report counts only what the sweep took
            notRun = swept.left().size();
            swept.failAll(new RingClosedException(name, ring.getBufferSize(),
                    "ring '" + name + "' shut down before this task ran (deadline " + deadline.toMillis() + " ms)"));
            LOG.warn("Ring '{}' did not drain within {} ms: {} accepted task(s) not run; interrupted {}", name,
                    deadline.toMillis(), notRun, interrupted);
        }
        return new ShutdownReport(name, drained, notRun, Duration.ofNanos(System.nanoTime() - start));
    }

    private void beginClose() {
        closed = true;
        for (ExecutorWorker w : workers) {
            w.alert();
        }
    }

    /**
     * Tells every worker to run nothing more, and interrupts those still alive: one stuck in a task gets the chance
     * to give up. Workers treat an interrupt as a prompt to look at their halt flag, never as a reason to stop.
     *
     * @return the names of the threads interrupted
     */
    private List<String> halt() {
        List<String> names = new ArrayList<>();
        for (ExecutorWorker w : workers) {
            w.halt = true;
            w.alert();
            Thread t = w.thread;
            if (t != null && t.isAlive()) {
                t.interrupt();
                names.add(t.getName());
            }
        }
        return names;
    }

    @Override
    public void shutdown() {
        beginClose();
    }

    @Override
    public List<Runnable> shutdownNow() {
        closed = true;
        halt();
        ExecutorSweep.Swept swept = sweep.once(Threads.endAfter(TimeUnit.MILLISECONDS.toNanos(UNPUBLISHED_WAIT_MS)));
        swept.notRunAll(); // a MustComplete task's waiter must not depend on the caller running the list
        return swept.left();
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
        return ring.getCursor() + 1 - cancelled.get() + callerRan.get() + lanePublished();
    }

    private long lanePublished() {
        synchronized (lanes) {
            long sum = retiredLanePublished;
            for (int i = 0; i < lanes.size(); i++) { // no iterator: reading stats allocates nothing
                sum += lanes.get(i).lastClaimed.get() + 1;
            }
            return sum;
        }
    }

    @Override
    public long completed() {
        long sum = callerRan.get();
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
        long sum = callerFailed.get();
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

    /** @return whether some worker is stood in for (a worker's look once per batch; ADR 0019) */
    boolean standingIn() {
        return standingIn.get() > 0;
    }

    /**
     * A worker's covering step at the end of a batch of the shared ring (ADR 0019): covers, for every other worker
     * stood in for, that worker's part of the ring up to {@code last}, the last slot {@code by} walked.
     */
    void coverOthers(ExecutorWorker by, long last) {
        for (ExecutorWorker w : workers) {
            if (w != by && w.standIn.state() == StandIn.GRANTED) {
                w.standIn.coverUpTo(ring, last);
            }
        }
    }

    /**
     * The timer thread's grant of a stand-in for {@code w}, stuck in a task at {@code position} (ADR 0019).
     *
     * @return true if granted
     */
    boolean standIn(ExecutorWorker w, long position) {
        if (closed || !w.standIn.grant(position, ring)) {
            return false;
        }
        standingIn.incrementAndGet();
        standIns.increment();
        return true;
    }

    /** A worker took its part of the ring back (ADR 0019). */
    void stoodDown() {
        standingIn.decrementAndGet();
    }

    /** @return each worker's sequence, position and stand-in state, for diagnostics (any thread) */
    public String describeWorkers() {
        StringBuilder sb = new StringBuilder("cursor=").append(ring.getCursor());
        for (ExecutorWorker w : workers) {
            sb.append(" | #").append(w.index).append(" seq=").append(w.sequence.get()).append(" pos=")
                    .append(w.position()).append(' ').append(w.standIn);
        }
        return sb.toString();
    }

    /** @return stand-ins granted since start (ADR 0019) */
    public long standIns() {
        return standIns.get();
    }

    /** @return the shared ring, for its stand-ins */
    RingBuffer<TaskSlot> ring() {
        return ring;
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

    /** @return the pauses its workers took ({@link Streaming}); for tests, once the workers have ended */
    long pauses() {
        long n = 0;
        for (ExecutorWorker w : workers) {
            n += w.pauses;
        }
        return n;
    }
}
