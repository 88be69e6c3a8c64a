package io.vela.bench.strategies;

import io.vela.engine.VelaException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Drives a {@link Target} from the calling thread: open-loop arrivals at a fixed rate or as a Poisson process (each
 * message timed from its <em>intended</em> send time, so a stall shows as the lateness of everything behind it: no
 * coordinated omission), peak throughput (send as fast as the target accepts), and idle CPU. CPU is the thread CPU
 * time ({@code ThreadMXBean}, nanosecond resolution) of every Java thread but the driver, summed over the threads
 * alive at both ends of the interval: the target's worker or consumer, its timer and watchdog, not the sender and
 * not the JVM's GC and JIT threads (the process CPU clock ticks too coarsely, 10 ms, for sub-second runs).
 * One driver thread per target; allocates only per run, not per message.
 */
final class Driver {
    /** A yield can return tens of microseconds late: the sender only yields when its send time is further off. */
    private static final long YIELD_ABOVE_NANOS = 50_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Target target;
    private final String name;
    private final SplittableRandom random;
    private final long drainTimeoutNanos;
    private long sent;

    /** Latencies and CPU of one measured open-loop run. */
    record Latency(Histogram histogram, double cpuNanosPerTask) {
    }

    /**
     * @param target the target
     * @param name   for errors, e.g. {@code executor/yielding}
     * @param seed   seeds the Poisson arrivals, so runs are repeatable
     * @param drainTimeoutNanos how long to wait for the target to handle everything sent before failing the run
     */
    Driver(Target target, String name, long seed, long drainTimeoutNanos) {
        this.target = target;
        this.name = name;
        this.random = new SplittableRandom(seed);
        this.drainTimeoutNanos = drainTimeoutNanos;
    }

    /**
     * @param ratePerSecond offered rate
     * @param poisson       exponential gaps with the rate's mean instead of fixed gaps
     * @param warmNanos     sent, not recorded
     * @param measureNanos  recorded
     * @return the recorded latencies and CPU per task
     */
    Latency openLoop(long ratePerSecond, boolean poisson, long warmNanos, long measureNanos) {
        send(ratePerSecond, poisson, warmNanos);
        drain();
        target.recorder().startRecording();
        Map<Long, Long> cpu0 = cpuOfOthers();
        long before = sent;
        send(ratePerSecond, poisson, measureNanos);
        drain();
        long cpu = cpuSince(cpu0);
        Histogram h = target.recorder().stopRecording();
        long tasks = sent - before;
        return new Latency(h, tasks == 0 ? Double.NaN : (double) cpu / tasks);
    }

    /**
     * @param warmNanos    sent as fast as accepted, not counted
     * @param measureNanos counted
     * @return messages handled per second while sending as fast as the target accepts
     */
    double peak(long warmNanos, long measureNanos) {
        flood(warmNanos);
        drain();
        long before = sent;
        long t0 = System.nanoTime();
        flood(measureNanos);
        drain();
        return (sent - before) * 1e9 / (System.nanoTime() - t0);
    }

    /**
     * @param nanos how long to stay idle
     * @return CPU nanoseconds (every thread but the caller's) per second of wall time while nothing is sent
     * @throws InterruptedException if interrupted while idle
     */
    static double idleCpuPerSecond(long nanos) throws InterruptedException {
        Map<Long, Long> cpu0 = cpuOfOthers();
        long t0 = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(nanos);
        return cpuSince(cpu0) * 1e9 / (System.nanoTime() - t0);
    }

    private void flood(long nanos) {
        long end = System.nanoTime() + nanos;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                return;
            }
            for (int i = 0; i < 256; i++) {
                target.send(now);
                sent++;
            }
        }
    }

    private void send(long ratePerSecond, boolean poisson, long nanos) {
        double mean = 1e9 / ratePerSecond;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        long end = start + nanos;
        double at = start;
        while (at < end) {
            long due = (long) at;
            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                if (due - now > YIELD_ABOVE_NANOS) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            target.send(due); // late or not, timed from when it was due
            sent++;
            at += poisson ? -Math.log(1 - random.nextDouble()) * mean : mean;
        }
    }

    private void drain() {
        long deadline = System.nanoTime() + drainTimeoutNanos;
        while (target.recorder().handled() < sent) {
            if (System.nanoTime() > deadline) {
                throw new VelaException(name + ": handled " + target.recorder().handled() + " of " + sent
                        + " messages after " + TimeUnit.NANOSECONDS.toMillis(drainTimeoutNanos) + " ms");
            }
            Thread.yield(); // leave the core to the handler
        }
    }

    /** @return thread id to CPU nanoseconds, for every live thread but the caller */
    private static Map<Long, Long> cpuOfOthers() {
        long self = Thread.currentThread().getId();
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (id != self && t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }

    /** @return CPU nanoseconds used since {@code before} by the threads alive then and now */
    private static long cpuSince(Map<Long, Long> before) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : cpuOfOthers().entrySet()) {
            Long t0 = before.get(e.getKey());
            if (t0 != null) {
                sum += e.getValue() - t0;
            }
        }
        return sum;
    }
}
