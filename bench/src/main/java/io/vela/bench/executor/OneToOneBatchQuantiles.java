package io.vela.bench.executor;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The 1 submitter → 1 worker case of {@link OneToOneExecutorThroughputBenchmark} (batches of 1 000 fire-and-forget
 * tasks, each batch waited for), timed batch by batch and reported as quantiles of the time per task instead of a
 * mean — and a one-task-in-flight round trip. Written for issue #12 on a 2-core machine shared with other builds,
 * where JMH's means measured the scheduler (a batch during which either thread was descheduled costs 10–1000× an
 * undisturbed one): the lower quantiles are the undisturbed batches, so they compare subjects, and builds of one
 * subject, run minutes apart.
 *
 * <pre>
 *   java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *       io.vela.bench.executor.OneToOneBatchQuantiles lane|vela|raw yielding|lite-blocking [batches] [pingpong]
 * </pre>
 *
 * {@code lane} is a {@code TaskSubmitter} (ADR 0015), {@code vela} the executor's shared ring, {@code raw} a
 * single-producer Disruptor ring with a {@code BatchEventProcessor} and the same wait strategy. Prints one line;
 * allocates nothing per task. Not a JMH benchmark: run each subject in its own JVM, several times, interleaved.
 */
public final class OneToOneBatchQuantiles {
    private static final int BATCH = 1000;

    private OneToOneBatchQuantiles() {
    }

    /** A raw ring slot. */
    static final class Slot {
        Runnable task;
    }

    /**
     * @param args subject, wait strategy, batches (default 20 000), and {@code pingpong} for round trips
     * @throws Exception if the runtime does not close
     */
    public static void main(String[] args) throws Exception {
        String subject = args[0];
        String wait = args[1];
        int batches = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        boolean pingPong = args.length > 3 && args[3].equals("pingpong");
        AtomicLong done = new AtomicLong();
        Runnable task = () -> done.lazySet(done.get() + 1); // one writer: the single worker
        VelaRuntime runtime = null;
        Executor executor;
        if (subject.equals("raw")) {
            executor = raw(wait);
        } else {
            runtime = VelaRuntime.start(VelaConfig.builder()
                    .set(Settings.EXECUTOR_WORKERS, 1)
                    .set(Settings.EXECUTOR_RING_SIZE, 8192)
                    .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.fromConfigName(wait))
                    .set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                    .set(Settings.TIMER_IDLE_STRATEGY, WaitStrategy.BACKOFF)
                    .set(Settings.WATCHDOG_STALL_MS, 0L)
                    .build());
            executor = subject.equals("lane") ? runtime.executor().newSubmitter() : runtime.executor();
        }
        int perBatch = pingPong ? 1 : BATCH;
        long[] nanos = new long[batches];
        for (int pass = 0; pass < 3; pass++) { // the first two warm up
            for (int b = 0; b < batches; b++) {
                long target = done.get() + perBatch;
                long t0 = System.nanoTime();
                for (int i = 0; i < perBatch; i++) {
                    executor.execute(task);
                }
                while (done.get() < target) {
                    Thread.onSpinWait();
                }
                nanos[b] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(nanos);
        if (pingPong) {
            System.out.printf(Locale.ROOT, "%s %s round trip ns: p10 %d p50 %d p90 %d p99 %d%n", subject, wait,
                    nanos[batches / 10], nanos[batches / 2], nanos[batches * 9 / 10], nanos[batches * 99 / 100]);
        } else {
            double d = BATCH;
            System.out.printf(Locale.ROOT, "%s %s ns per task: p10 %.1f p25 %.1f p50 %.1f p75 %.1f (%.1f M tasks/s "
                    + "at p25)%n", subject, wait, nanos[batches / 10] / d, nanos[batches / 4] / d,
                    nanos[batches / 2] / d, nanos[batches * 3 / 4] / d, 1e3 * d / nanos[batches / 4]);
        }
        if (runtime != null) {
            runtime.close();
        }
        System.exit(0); // the raw ring's consumer thread is a daemon
    }

    private static Executor raw(String wait) {
        RingBuffer<Slot> ring = RingBuffer.createSingleProducer(Slot::new, 8192,
                WaitStrategy.fromConfigName(wait).newRingStrategy());
        BatchEventProcessor<Slot> processor = new BatchEventProcessorBuilder()
                .build(ring, ring.newBarrier(), (slot, seq, end) -> slot.task.run());
        ring.addGatingSequences(processor.getSequence());
        Thread consumer = new Thread(processor, "raw-disruptor-consumer");
        consumer.setDaemon(true);
        consumer.start();
        return t -> {
            long seq = ring.next();
            ring.get(seq).task = t;
            ring.publish(seq);
        };
    }
}
