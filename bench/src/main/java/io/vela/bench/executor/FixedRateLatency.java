package io.vela.bench.executor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Submit-to-run latency at a fixed offered rate, free of coordinated omission: each task is timed from the moment
 * it was <em>scheduled</em> to be sent, not from when the sender got round to sending it, so a stalled executor
 * shows up as the delay of every task queued behind the stall.
 *
 * <pre>
 *   sender (spins to each scheduled time t_i) ──execute(probe_i)──▶ [ executor ] ──▶ 1 worker: record(now - t_i)
 * </pre>
 *
 * Two busy threads (the sender spins between sends; the executor has one worker): fits 2 cores. Probes are
 * preallocated and reused, so nothing is allocated per task; only the single worker records into the histogram.
 * Also reports CPU time per task of every thread but the sender (workers, timer, JIT, GC), which shows what a wait
 * strategy costs while idle between tasks.
 */
final class FixedRateLatency {
    private static final int POOL = 1 << 16;

    /** Result of one run. */
    record Result(Histogram histogram, double cpuNanosPerTask, long tasks) {
    }

    private FixedRateLatency() {
    }

    /**
     * @param executor      the subject; must run tasks on exactly one worker thread
     * @param ratePerSecond offered rate
     * @param warmupNanos   sent but not recorded
     * @param measureNanos  recorded
     * @return the latency histogram and CPU per task
     */
    static Result run(Executor executor, int ratePerSecond, long warmupNanos, long measureNanos) {
        Histogram histogram = new Histogram(60_000_000_000L, 3);
        AtomicLong completed = new AtomicLong();
        Probe[] probes = new Probe[POOL];
        for (int i = 0; i < POOL; i++) {
            probes[i] = new Probe(histogram, completed);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long interval = 1_000_000_000L / ratePerSecond;
        long start = System.nanoTime() + 1_000_000;
        long measureFrom = start + warmupNanos;
        long end = measureFrom + measureNanos;
        long sent = 0;
        long cpuAtMeasure = -1;
        long senderCpuAtMeasure = 0;
        long measured = 0;
        for (long i = 0; ; i++) {
            long t = start + i * interval;
            if (t >= end) {
                break;
            }
            if (cpuAtMeasure < 0 && t >= measureFrom) {
                cpuAtMeasure = os.getProcessCpuTime();
                senderCpuAtMeasure = mx.getCurrentThreadCpuTime();
            }
            Probe p = probes[(int) (i & (POOL - 1))];
            while (i >= POOL && completed.get() <= i - POOL) {
                Thread.onSpinWait(); // the probe is still in flight from the previous lap
            }
            while (System.nanoTime() < t) {
                Thread.onSpinWait();
            }
            p.scheduledAt = t;
            p.record = t >= measureFrom;
            if (p.record) {
                measured++;
            }
            executor.execute(p);
            sent++;
        }
        while (completed.get() < sent) {
            Thread.onSpinWait();
        }
        long cpu = os.getProcessCpuTime() - cpuAtMeasure - (mx.getCurrentThreadCpuTime() - senderCpuAtMeasure);
        return new Result(histogram, measured == 0 ? 0 : (double) cpu / measured, measured);
    }

    /** A reusable task that records how late it ran. */
    static final class Probe implements Runnable {
        private final Histogram histogram;
        private final AtomicLong completed;
        long scheduledAt;
        boolean record;

        Probe(Histogram histogram, AtomicLong completed) {
            this.histogram = histogram;
            this.completed = completed;
        }

        @Override
        public void run() {
            if (record) {
                histogram.recordValue(Math.max(0, System.nanoTime() - scheduledAt));
            }
            completed.lazySet(completed.get() + 1);
        }
    }
}
