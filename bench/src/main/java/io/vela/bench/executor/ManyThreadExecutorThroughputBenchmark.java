package io.vela.bench.executor;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingExecutor;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Fire-and-forget throughput with several submitters or several workers ({@code 2p1w}, {@code 1p2w}, {@code 2p2w}):
 * Vela's ring executor against a raw Disruptor ring, {@code ForkJoinPool} and {@code ThreadPoolExecutor} (bounded
 * {@code ArrayBlockingQueue} and unbounded {@code LinkedBlockingQueue}).
 *
 * <pre>
 *   JMH thread 0 ──execute(task) x 1000──▶ ┌──────────────────────┐ ──▶ worker 0 ┐
 *   JMH thread 1 ──execute(task) x 1000──▶ │ executor under test  │ ──▶ worker 1 ┼─▶ task.run(): counts for its submitter
 *        each waits until its own 1000 ran └──────────────────────┘              ┘
 * </pre>
 *
 * Submitters are JMH threads (run with {@code -t 2} for two); workers are {@link Workers#workers}. JMH sums the
 * threads' scores, so the figure is tasks per second through the whole executor. Each submitter counts its own
 * completed tasks: with one worker a plain counter (one writer), with two a {@link LongAdder} (two writers, each on
 * a cell of its own once they have collided), the same for every subject.
 *
 * <p>The raw Disruptor peer: multi-producer ring with two submitters, single-producer with one. Disruptor 4 has no
 * {@code WorkerPool}; with two workers the peer is two {@code BatchEventProcessor}s on one ring, each running every
 * other slot (slot parity): the cheapest hand-written sharing, with no claim at all, and like Vela's it reads every
 * slot in every worker. Unlike Vela's it cannot route around a slow worker: half the tasks wait for it.
 *
 * <p>The JDK peers ignore the wait strategy, so they do not take the {@code waitStrategy} parameter and run once
 * per case. With more threads that can be busy than there are cores (three on two cores), the OS scheduler is part
 * of what is measured: run these cases with parking strategies ({@code lite-blocking}, {@code sleeping}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ManyThreadExecutorThroughputBenchmark {
    static final int BATCH = 1000;
    static final int RING = 8192;

    /** Worker count, for every subject. */
    @State(Scope.Benchmark)
    public static class Workers {
        @Param({"2"})
        public int workers;
    }

    /** The wait strategy: only the ring subjects take it. */
    @State(Scope.Benchmark)
    public static class Strategy {
        @Param({"lite-blocking", "sleeping"})
        public String waitStrategy;
    }

    /** One submitter (JMH thread): its prebuilt task and the count of its tasks that ran. */
    @State(Scope.Thread)
    public static class Submitter {
        TaskCounter counter;

        @Setup(Level.Trial)
        public void setUp(Workers w) {
            counter = w.workers == 1 ? new SingleWriterCounter() : new StripedCounter();
        }

        void submitBatchAndWait(Executor ex) {
            TaskCounter c = counter;
            long target = c.count() + BATCH;
            Runnable t = c.task();
            for (int i = 0; i < BATCH; i++) {
                ex.execute(t);
            }
            c.awaitAtLeast(target);
        }
    }

    /** Vela's ring executor. */
    @State(Scope.Benchmark)
    public static class VelaSubject {
        VelaRuntime runtime;
        RingExecutor executor;

        @Setup(Level.Trial)
        public void setUp(Workers w, Strategy s) {
            runtime = VelaRuntime.start(VelaConfig.builder()
                    .set(Settings.EXECUTOR_WORKERS, w.workers)
                    .set(Settings.EXECUTOR_RING_SIZE, RING)
                    .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.fromConfigName(s.waitStrategy))
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

    /** The raw Disruptor ring: one {@code BatchEventProcessor} per worker, worker i runs the slots {@code seq % W == i}. */
    @State(Scope.Benchmark)
    public static class RawSubject {
        RawShardedRing raw;

        @Setup(Level.Trial)
        public void setUp(Workers w, Strategy s, BenchmarkParams params) {
            raw = new RawShardedRing(params.getThreads() > 1, w.workers, WaitStrategy.fromConfigName(s.waitStrategy));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            raw.close();
        }
    }

    /** A JDK pool with W threads, made once per trial. */
    public abstract static class PoolSubject {
        ExecutorService pool;

        /**
         * @param workers threads
         * @return the pool
         */
        abstract ExecutorService create(int workers);

        @Setup(Level.Trial)
        public void setUp(Workers w) {
            pool = create(w.workers);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.shutdown();
        }
    }

    /** {@code ThreadPoolExecutor}, bounded {@code ArrayBlockingQueue} (never full: at most 2 000 queued). */
    @State(Scope.Benchmark)
    public static class ThreadPoolAbqSubject extends PoolSubject {
        @Override
        ExecutorService create(int workers) {
            return threadPool(workers, new ArrayBlockingQueue<>(RING));
        }
    }

    /** {@code ThreadPoolExecutor}, unbounded {@code LinkedBlockingQueue}. */
    @State(Scope.Benchmark)
    public static class ThreadPoolLbqSubject extends PoolSubject {
        @Override
        ExecutorService create(int workers) {
            return threadPool(workers, new LinkedBlockingQueue<>());
        }
    }

    /** {@code ForkJoinPool} with parallelism W. */
    @State(Scope.Benchmark)
    public static class ForkJoinSubject extends PoolSubject {
        @Override
        ExecutorService create(int workers) {
            return new ForkJoinPool(workers);
        }
    }

    static ExecutorService threadPool(int workers, BlockingQueue<Runnable> queue) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, queue);
        pool.prestartAllCoreThreads();
        return pool;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vela(Submitter s, VelaSubject v) {
        s.submitBatchAndWait(v.executor);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void disruptorRaw(Submitter s, RawSubject r) {
        s.submitBatchAndWait(r.raw);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void jdkForkjoin(Submitter s, ForkJoinSubject p) {
        s.submitBatchAndWait(p.pool);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void jdkThreadpoolAbq(Submitter s, ThreadPoolAbqSubject p) {
        s.submitBatchAndWait(p.pool);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void jdkThreadpoolLbq(Submitter s, ThreadPoolLbqSubject p) {
        s.submitBatchAndWait(p.pool);
    }

    /** Raw Disruptor slot. */
    static final class Slot {
        Runnable task;
    }

    /** Counts one submitter's tasks that ran. */
    abstract static class TaskCounter {
        /** @return the prebuilt task that counts one run */
        abstract Runnable task();

        /** @return the runs counted so far */
        abstract long count();

        /** Spins briefly, then yields: with more threads than cores a pure spin would take a worker's core. */
        final void awaitAtLeast(long target) {
            int spins = 0;
            while (count() < target) {
                if (++spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    /** One worker writes it: a release store, as in the 1-to-1 benchmark. */
    static final class SingleWriterCounter extends TaskCounter {
        private final AtomicLong done = new AtomicLong();
        private final Runnable task = () -> done.lazySet(done.get() + 1);

        @Override
        Runnable task() {
            return task;
        }

        @Override
        long count() {
            return done.get();
        }
    }

    /** Several workers write it. */
    static final class StripedCounter extends TaskCounter {
        private final LongAdder done = new LongAdder();
        private final Runnable task = done::increment;

        @Override
        Runnable task() {
            return task;
        }

        @Override
        long count() {
            return done.sum();
        }
    }

    /**
     * A raw Disruptor ring as an {@link Executor}: W {@code BatchEventProcessor}s, each runs the slots of its parity
     * class. {@code execute} may be called by any thread when built multi-producer, by one thread otherwise; it
     * waits while the ring is full ({@code next()}) and allocates nothing. {@code close} halts the workers (tasks
     * still in the ring are dropped: a benchmark peer, not an executor).
     */
    static final class RawShardedRing implements ExecutorSuite.ClosableExecutor {
        private final RingBuffer<Slot> ring;
        private final BatchEventProcessor<?>[] processors;
        private final Thread[] threads;

        RawShardedRing(boolean multiProducer, int workers, WaitStrategy ws) {
            ring = multiProducer
                    ? RingBuffer.createMultiProducer(Slot::new, RING,
                            ws.newRingStrategy())
                    : RingBuffer.createSingleProducer(Slot::new, RING,
                            ws.newRingStrategy());
            processors = new BatchEventProcessor<?>[workers];
            threads = new Thread[workers];
            Sequence[] gating = new Sequence[workers];
            for (int i = 0; i < workers; i++) {
                int index = i;
                EventHandler<Slot> handler = workers == 1
                        ? (e, seq, end) -> e.task.run()
                        : (e, seq, end) -> {
                            if (seq % workers == index) {
                                e.task.run();
                            }
                        };
                BatchEventProcessor<Slot> p =
                        new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
                processors[i] = p;
                gating[i] = p.getSequence();
            }
            ring.addGatingSequences(gating);
            for (int i = 0; i < workers; i++) {
                threads[i] = new Thread(processors[i], "raw-disruptor-worker-" + i);
                threads[i].setDaemon(true);
                threads[i].start();
            }
        }

        @Override
        public void execute(Runnable task) {
            long seq = ring.next();
            ring.get(seq).task = task;
            ring.publish(seq);
        }

        @Override
        public void close() throws InterruptedException {
            for (BatchEventProcessor<?> p : processors) {
                p.halt();
            }
            for (Thread t : threads) {
                t.join(5_000);
            }
        }
    }
}
