package io.vela.bench.executor;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingExecutor;
import io.vela.engine.Settings;
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
 * Two threads, two cores: the submitter and one worker (every subject gets one worker). The task is one prebuilt
 * {@code Runnable}, so allocation per op shows the executor's own. The JDK peers ignore {@code waitStrategy}; they
 * are measured again in each case so that every ratio compares figures from the same run. The raw Disruptor peer
 * is a single-producer ring (what a hand-written 1P1C would use); Vela's executor is multi-producer, since any
 * thread may submit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OneToOneExecutorThroughputBenchmark {
    static final int BATCH = 1000;

    @Param({"yielding", "lite-blocking"})
    public String waitStrategy;

    private VelaRuntime vela;
    private RingExecutor velaExecutor;
    private ExecutorService threadPool;
    private ForkJoinPool forkJoin;
    private RingBuffer<TaskEvent> raw;
    private BatchEventProcessor<TaskEvent> rawProcessor;
    private Thread rawThread;
    private final Counter counter = new Counter();
    private Runnable task;

    /** The task every subject runs: counts itself. One writer (the single worker). */
    static final class Counter {
        final AtomicLong done = new AtomicLong();

        void awaitAtLeast(long target) {
            while (done.get() < target) {
                Thread.onSpinWait();
            }
        }
    }

    /** Raw Disruptor slot. */
    static final class TaskEvent {
        Runnable task;
    }

    @Setup(Level.Trial)
    public void setUp() {
        WaitStrategy ws = WaitStrategy.fromConfigName(waitStrategy);
        AtomicLong done = counter.done;
        task = () -> done.lazySet(done.get() + 1);
        vela = VelaRuntime.start(VelaConfig.builder()
                .set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 8192)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, ws)
                .set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.TIMER_IDLE_STRATEGY, WaitStrategy.SLEEPING)
                .set(Settings.WATCHDOG_STALL_MS, 0L)
                .build());
        velaExecutor = vela.executor();
        threadPool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        forkJoin = new ForkJoinPool(1);
        raw = RingBuffer.createSingleProducer(TaskEvent::new, 8192, ws.newRingStrategy());
        EventHandler<TaskEvent> handler = (e, seq, end) -> e.task.run();
        rawProcessor = new BatchEventProcessorBuilder().build(raw, raw.newBarrier(), handler);
        raw.addGatingSequences(rawProcessor.getSequence());
        rawThread = new Thread(rawProcessor, "raw-disruptor-consumer");
        rawThread.setDaemon(true);
        rawThread.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        vela.close();
        threadPool.shutdown();
        forkJoin.shutdown();
        rawProcessor.halt();
        rawThread.join(5_000);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vela() {
        long target = counter.done.get() + BATCH;
        RingExecutor ex = velaExecutor;
        Runnable t = task;
        for (int i = 0; i < BATCH; i++) {
            ex.execute(t);
        }
        counter.awaitAtLeast(target);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void jdkThreadpool() {
        long target = counter.done.get() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            threadPool.execute(task);
        }
        counter.awaitAtLeast(target);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void jdkForkjoin() {
        long target = counter.done.get() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            forkJoin.execute(task);
        }
        counter.awaitAtLeast(target);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void disruptorRaw() {
        long target = counter.done.get() + BATCH;
        RingBuffer<TaskEvent> r = raw;
        Runnable t = task;
        for (int i = 0; i < BATCH; i++) {
            long seq = r.next();
            r.get(seq).task = t;
            r.publish(seq);
        }
        counter.awaitAtLeast(target);
    }
}
