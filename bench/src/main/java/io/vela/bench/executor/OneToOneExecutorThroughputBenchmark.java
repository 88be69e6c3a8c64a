package io.vela.bench.executor;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingExecutor;
import io.vela.engine.Settings;
import io.vela.engine.TaskSubmitter;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Fire-and-forget throughput from one submitter to one worker: Vela's ring executor against
 * {@code ThreadPoolExecutor}, {@code ForkJoinPool} and a raw Disruptor 1P1C ring with the same wait strategy.
 *
 * <pre>
 *   JMH thread ──execute(task) x 1000──▶ [ executor under test ] ──▶ 1 worker: task.run() → count++
 *        └──────────── spins until count == submitted (completed work, not enqueued work) ◀───┘
 * </pre>
 *
 * Two threads, two cores: the submitter and one worker (every subject gets one worker; each benchmark starts only
 * its own subject, so no idle subject spins in the background). The task is one prebuilt
 * {@code Runnable}, so allocation per op shows the executor's own. The JDK peers ignore {@code waitStrategy}; they
 * are measured again in each case so that every ratio compares figures from the same run. The raw Disruptor peer
 * is a single-producer ring (what a hand-written 1P1C would use); Vela's executor is multi-producer, since any
 * thread may submit.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OneToOneExecutorThroughputBenchmark {
    static final int BATCH = 1000;

    /** What every subject shares: the wait strategy and the counting task. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"yielding", "lite-blocking"})
        public String waitStrategy;

        final AtomicLong done = new AtomicLong();
        Runnable task;

        @Setup(Level.Trial)
        public void setUp() {
            AtomicLong d = done;
            task = () -> d.lazySet(d.get() + 1); // one writer: the single worker
        }

        void submitBatchAndWait(java.util.concurrent.Executor ex) {
            long target = done.get() + BATCH;
            Runnable t = task;
            for (int i = 0; i < BATCH; i++) {
                ex.execute(t);
            }
            awaitAtLeast(target);
        }

        void awaitAtLeast(long target) {
            while (done.get() < target) {
                Thread.onSpinWait();
            }
        }
    }

    /** Vela's ring executor, one worker. Started only for the {@code vela} benchmark. */
    @State(Scope.Benchmark)
    public static class VelaSubject {
        VelaRuntime runtime;
        RingExecutor executor;

        @Setup(Level.Trial)
        public void setUp(Shared shared) {
            runtime = VelaRuntime.start(VelaConfig.builder()
                    .set(Settings.EXECUTOR_WORKERS, 1)
                    .set(Settings.EXECUTOR_RING_SIZE, 8192)
                    .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.fromConfigName(shared.waitStrategy))
                    .set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                    .set(Settings.TIMER_IDLE_STRATEGY, WaitStrategy.BACKOFF)
                    .set(Settings.WATCHDOG_STALL_MS, 0L)
                    .build());
            executor = runtime.executor();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            runtime.close();
        }
    }

    /**
     * A {@link TaskSubmitter} of Vela's executor (its own single-producer lane, ADR 0015), made on the benchmark
     * thread that uses it; made again if JMH moves the benchmark to another thread.
     */
    @State(Scope.Benchmark)
    public static class VelaSubmitterSubject {
        VelaSubject vela = new VelaSubject();
        TaskSubmitter submitter;

        @Setup(Level.Trial)
        public void setUp(Shared shared) {
            vela.setUp(shared);
        }

        TaskSubmitter forCurrentThread() {
            TaskSubmitter s = submitter;
            if (s == null || s.owner() != Thread.currentThread()) {
                s = vela.executor.newSubmitter();
                submitter = s;
            }
            return s;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            vela.tearDown();
        }
    }

    /** {@code ThreadPoolExecutor} with one thread and an unbounded {@code LinkedBlockingQueue}. */
    @State(Scope.Benchmark)
    public static class ThreadPoolSubject {
        ExecutorService pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.shutdown();
        }
    }

    /** {@code ForkJoinPool} with parallelism 1. */
    @State(Scope.Benchmark)
    public static class ForkJoinSubject {
        ForkJoinPool pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = new ForkJoinPool(1);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.shutdown();
        }
    }

    /** A raw Disruptor ring with one {@code BatchEventProcessor} running each slot's task. */
    static class RawRing {
        RingBuffer<TaskEvent> ring;
        BatchEventProcessor<TaskEvent> processor;
        Thread thread;

        void start(RingBuffer<TaskEvent> r) {
            ring = r;
            EventHandler<TaskEvent> handler = (e, seq, end) -> e.task.run();
            processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
            ring.addGatingSequences(processor.getSequence());
            thread = new Thread(processor, "raw-disruptor-consumer");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            processor.halt();
            thread.join(5_000);
        }
    }

    /** The raw ring, single-producer: what a hand-written 1P1C uses. */
    @State(Scope.Benchmark)
    public static class RawSubject {
        final RawRing raw = new RawRing();

        @Setup(Level.Trial)
        public void setUp(Shared shared) {
            raw.start(RingBuffer.createSingleProducer(TaskEvent::new, 8192,
                    WaitStrategy.fromConfigName(shared.waitStrategy).newRingStrategy()));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            raw.stop();
        }
    }

    /**
     * The raw ring, multi-producer: what a hand-written executor on the Disruptor needs as soon as more than one
     * thread may submit (Vela's executor is multi-producer for that reason).
     */
    @State(Scope.Benchmark)
    public static class RawMultiProducerSubject {
        final RawRing raw = new RawRing();

        @Setup(Level.Trial)
        public void setUp(Shared shared) {
            raw.start(RingBuffer.createMultiProducer(TaskEvent::new, 8192,
                    WaitStrategy.fromConfigName(shared.waitStrategy).newRingStrategy()));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            raw.stop();
        }
    }

    /** Raw Disruptor slot. */
    static final class TaskEvent {
        Runnable task;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vela(Shared s, VelaSubject v) {
        s.submitBatchAndWait(v.executor);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void velaSubmitter(Shared s, VelaSubmitterSubject v) {
        s.submitBatchAndWait(v.forCurrentThread());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void jdkThreadpool(Shared s, ThreadPoolSubject p) {
        s.submitBatchAndWait(p.pool);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void jdkForkjoin(Shared s, ForkJoinSubject p) {
        s.submitBatchAndWait(p.pool);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void disruptorRaw(Shared s, RawSubject r) {
        rawBatch(s, r.raw);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void disruptorRawMp(Shared s, RawMultiProducerSubject r) {
        rawBatch(s, r.raw);
    }

    private static void rawBatch(Shared s, RawRing r) {
        long target = s.done.get() + BATCH;
        RingBuffer<TaskEvent> ring = r.ring;
        Runnable t = s.task;
        for (int i = 0; i < BATCH; i++) {
            long seq = ring.next();
            ring.get(seq).task = t;
            ring.publish(seq);
        }
        s.awaitAtLeast(target);
    }
}
