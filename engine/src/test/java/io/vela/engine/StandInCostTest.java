package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.internal.RingExecutorImpl;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the stand-ins cost the workers in allocation (ADR 0019: "no allocation" on the task path; one entry per
 * keyed task of the stuck worker moved to its backlog). Measured with the JVM's per-thread allocation counters over
 * the executor's worker threads: unkeyed tasks with nobody stood in, then while the others cover for a stuck
 * worker (a lock per batch, the cover walk), then keyed tasks of the stuck worker moved to its backlog.
 */
class StandInCostTest {
    private static final Logger LOG = LoggerFactory.getLogger(StandInCostTest.class);
    private static final int TASKS = 100_000;

    @Test
    @Timeout(30)
    void workersAllocateNothingPerTaskWhileCoveringForAStuckWorker() throws Exception {
        VelaRuntime rt = StandInTest.start(4, 20);
        RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
        AtomicLong ran = new AtomicLong();
        Runnable task = ran::incrementAndGet;
        long[] workers = workerThreadIds();
        long[] keys = StandInReviewTest.keysOfEachWorker(ex, 4);
        run(ex, task, ran, TASKS); // warm-up: the JIT's own allocations are not the task path's
        double idle = bytesPerTask(workers, () -> run(ex, task, ran, TASKS));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<String> stuck = new java.util.concurrent.atomic.AtomicReference<>();
        ex.execute(() -> {
            stuck.set(Thread.currentThread().getName());
            started.countDown();
            Blocker.awaitQuietly(release);
        });
        assertThat(started.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        long keyOfStuck = keys[Integer.parseInt(stuck.get().substring(stuck.get().lastIndexOf('-') + 1))];
        run(ex, task, ran, 4 * 1024); // a stand-in for the stuck worker
        assertThat(ex.standIns()).as("the stuck worker was stood in for").isPositive();
        double covering = bytesPerTask(workers, () -> run(ex, task, ran, TASKS));
        Runnable nothing = () -> { };
        double moved = bytesPerTask(workers, () -> {
            for (int i = 0; i < 512; i++) {
                ex.executeKeyed(keyOfStuck, nothing);
            }
            run(ex, task, ran, 4 * 1024); // the others cover past them
        }) * TASKS / 512;
        LOG.info("worker allocation per task: {} B nobody stood in, {} B covering for a stuck worker; {} B per task "
                + "moved to the stuck worker's ({}) backlog", fmt(idle), fmt(covering), fmt(moved), stuck.get());
        assertThat(idle).as("bytes per task, nobody stood in").isLessThan(1);
        assertThat(covering).as("bytes per unkeyed task while the others cover for a stuck worker").isLessThan(1);
        release.countDown();
        rt.close();
    }

    /** Submits {@code n} tasks (blocking while the ring is full) and waits until they ran. */
    private static void run(RingExecutor ex, Runnable task, AtomicLong ran, int n) {
        long target = ran.get() + n;
        for (int i = 0; i < n; i++) {
            ex.execute(task);
        }
        long end = System.nanoTime() + 10_000_000_000L;
        while (ran.get() < target && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertThat(ran.get()).isGreaterThanOrEqualTo(target);
    }

    /** @return bytes the worker threads allocated while {@code body} ran, per task of {@link #TASKS} */
    private static double bytesPerTask(long[] ids, Runnable body) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = Arrays.stream(mx.getThreadAllocatedBytes(ids)).sum();
        body.run();
        long after = Arrays.stream(mx.getThreadAllocatedBytes(ids)).sum();
        return (after - before) / (double) TASKS;
    }

    private static long[] workerThreadIds() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vela-executor-"))
                .mapToLong(Thread::getId).toArray();
    }

    private static String fmt(double d) {
        return String.format("%.3f", d);
    }
}
