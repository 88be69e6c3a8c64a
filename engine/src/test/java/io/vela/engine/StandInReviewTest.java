package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.internal.RingExecutorImpl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Adversarial review of the stand-ins (ADR 0019): paths the first cut's tests did not take. Two workers stood in
 * for at once; a worker stood in for while it is stuck in a task of one of its submitter lanes (between two batches
 * of the shared ring, its announced position behind its sequence); a graceful shutdown that such a worker must
 * drain; a {@code shutdownNow} after a take-back, with another worker behind the cover. Each accounts for every task
 * (run exactly once, in key order). Each failed on the first cut (lost unkeyed tasks; a worker spinning for ever
 * without taking its part back; tasks returned by {@code shutdownNow} after they ran from the backlog).
 */
class StandInReviewTest {
    private static final int RING = 1024;

    /**
     * Both workers of two stuck at once, both stood in for; unkeyed tasks submitted after they got stuck are the
     * part of neither: each worker's stand-in covered them, and each, taking its part back, resumes after its cover.
     * Someone must still run them.
     */
    @Test
    @Timeout(20)
    void unkeyedTasksRunWhenEveryWorkerWasStoodInForAtOnce() throws Exception {
        Two t = Two.start();
        RingExecutorImpl ex = t.ex();
        blockOn(ex, t.keys()[0], t.started(), t.release0());
        blockOn(ex, t.keys()[1], t.started(), t.release1());
        assertThat(t.started().await(5, TimeUnit.SECONDS)).as("both workers stuck").isTrue();
        int n = 200;
        TaskLedger ledger = new TaskLedger(n, 1);
        for (int i = 0; i < n; i++) {
            assertThat(ex.tryExecute(ledger.unkeyed(i))).isEqualTo(OfferResult.ACCEPTED);
        }
        long before = ex.standIns();
        awaitAtLeast(ex::standIns, before + 2, 5);
        assertThat(ex.standIns() - before).as("both workers stood in for").isGreaterThanOrEqualTo(2);
        t.release0().countDown();
        Thread.sleep(100); // worker 0 takes its part back first
        t.release1().countDown();
        ledger.awaitRan(n, 5);
        ledger.assertEachRanOnceOrWasRefused(n, "two workers stood in for at once");
        assertThat(t.rt().shutdown(Duration.ofSeconds(5))).allMatch(ShutdownReport::completed);
    }

    /**
     * Worker 1 stuck and stood in for; then worker 0 stuck, stood in for with ten of its keyed tasks moved to its
     * backlog, back, runs them from the backlog and takes its part back. A {@code shutdownNow} while worker 1 is
     * still stuck sweeps from below worker 0's old cover (worker 1 is behind it): it must not return the tasks worker 0
     * ran from its backlog as if they were claimable slots of the ring.
     */
    @Test
    @Timeout(20)
    void shutdownNowAfterATakeBackDoesNotReturnWhatTheBacklogRan() throws Exception {
        Two t = Two.start();
        RingExecutorImpl ex = t.ex();
        long[] keys = t.keys();
        CountDownLatch started = t.started();
        blockOn(ex, keys[1], started, t.release1());
        long before = ex.standIns();
        for (int i = 0; i < 4; i++) {
            ex.execute(() -> { }); // work behind worker 1
        }
        awaitAtLeast(ex::standIns, before + 1, 5);
        blockOn(ex, keys[0], started, t.release0());
        assertThat(started.await(5, TimeUnit.SECONDS)).as("both workers stuck").isTrue();
        int n = 10;
        TaskLedger ledger = new TaskLedger(n, 1);
        for (int i = 0; i < n; i++) {
            ex.executeKeyed(keys[0], ledger.keyed(i, 0, i));
        }
        awaitAtLeast(ex::standIns, before + 2, 5);
        assertThat(ex.standIns() - before).as("both workers stood in for").isGreaterThanOrEqualTo(2);
        t.release0().countDown();
        ledger.awaitRan(n, 5);
        assertThat(ledger.ran()).as("worker 0 ran its backlog").isEqualTo(n);
        Thread.sleep(20); // and took its part back
        List<Runnable> left = ex.shutdownNow();
        t.release1().countDown();
        for (Runnable r : left) {
            r.run();
        }
        ledger.assertEachRanOnceOrWasRefused(n, "shutdownNow after a take-back");
        t.rt().shutdown(Duration.ofSeconds(5));
    }

    /**
     * A worker stuck in a task of one of its submitter lanes is between two batches of the shared ring, and its
     * announced position is behind its sequence (its last batch ended with the other worker's slots). It is stood
     * in for; the ring then wraps (more than a ring of tasks goes through). Back from the lane task it must take its
     * part back — run its keyed tasks, in order, once — and its stand-in must not have read slots the ring reused.
     */
    @Test
    @Timeout(30)
    void aWorkerStuckInALaneTaskTakesItsPartBackAfterTheRingWrapped() throws Exception {
        StuckInALaneTask s = StuckInALaneTask.start();
        s.release.countDown();
        s.ledger.awaitRan(s.n, 5);
        s.ledger.assertEachRanOnceOrWasRefused(s.n, "a worker stuck in a lane task");
        s.owner.close();
        assertThat(s.rt.shutdown(Duration.ofSeconds(5))).allMatch(ShutdownReport::completed);
    }

    /**
     * The same worker, stuck in a lane task and stood in for, comes back during a graceful shutdown: the shutdown
     * must finish (drained) once it is back, with every accepted task run once.
     */
    @Test
    @Timeout(30)
    void aGracefulShutdownFinishesWhenAWorkerStuckInALaneTaskComesBack() throws Exception {
        StuckInALaneTask s = StuckInALaneTask.start();
        CompletableFuture<List<ShutdownReport>> closing = CompletableFuture.supplyAsync(
                () -> s.rt.shutdown(Duration.ofSeconds(8)), r -> new Thread(r, "closer").start());
        Thread.sleep(100);
        s.release.countDown();
        s.owner.close();
        assertThat(closing).as("the shutdown drains once the worker is back")
                .succeedsWithin(Duration.ofSeconds(12))
                .satisfies(reports -> assertThat(reports).allMatch(ShutdownReport::completed));
        s.ledger.assertEachRanOnceOrWasRefused(s.n, "shutdown, a worker back from a lane task");
    }

    /**
     * Two workers; worker 0 runs a task keyed to it, then walks worker 1's slots (its position ends behind its
     * sequence), then gets stuck in a task of its submitter lane; 1.5 rings of tasks go in while it is stuck (it is
     * stood in for).
     */
    private record StuckInALaneTask(VelaRuntime rt, TaskLedger ledger, int n, CountDownLatch release,
            LaneOwner owner) {
        static StuckInALaneTask start() throws Exception {
            VelaRuntime rt = StandInTest.start(2, 20);
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            long[] keys = keysOfEachWorker(ex, 2);
            ex.submitKeyed(keys[0], () -> null).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 8; i++) {
                ex.executeKeyed(keys[1], () -> { });
            }
            ex.submitKeyed(keys[1], () -> null).get(5, TimeUnit.SECONDS);
            CountDownLatch release = new CountDownLatch(1);
            LaneOwner owner = LaneOwner.blockOnce(ex, release); // a new submitter's lane goes to worker 0
            int n = 3 * RING / 2; // keyed to worker 0, keyed to worker 1, unkeyed: each half a ring
            TaskLedger ledger = new TaskLedger(n, 2);
            assertThat(submitInThirds(ex, keys, ledger, n)).as("1.5 rings of tasks in while worker 0 is stuck")
                    .succeedsWithin(Duration.ofSeconds(10));
            assertThat(ex.standIns()).as("worker 0 was stood in for").isPositive();
            return new StuckInALaneTask(rt, ledger, n, release, owner);
        }
    }

    /**
     * Submits tasks {@code [0, n)} from a thread of its own (blocking while the ring is full): one in three keyed to
     * worker 0, one in three to worker 1, one in three unkeyed.
     */
    private static CompletableFuture<Void> submitInThirds(RingExecutor ex, long[] keys, TaskLedger ledger, int n) {
        return CompletableFuture.runAsync(() -> {
            long[] seqOfKey = new long[2];
            for (int i = 0; i < n; i++) {
                int kind = i % 3;
                if (kind == 2) {
                    ex.execute(ledger.unkeyed(i));
                } else {
                    ex.executeKeyed(keys[kind], ledger.keyed(i, kind, seqOfKey[kind]++));
                }
            }
        }, r -> new Thread(r, "submitter").start());
    }

    /** A thread with a submitter lane whose first task blocks its worker until released. */
    private static final class LaneOwner implements AutoCloseable {
        private final CountDownLatch done = new CountDownLatch(1);
        private final Thread thread;

        private LaneOwner(RingExecutorImpl ex, CountDownLatch release, CountDownLatch started) {
            thread = new Thread(() -> {
                try (TaskSubmitter lane = ex.newSubmitter()) {
                    lane.execute(() -> {
                        started.countDown();
                        Blocker.awaitQuietly(release);
                    });
                    Blocker.awaitQuietly(done);
                }
            }, "lane-owner");
            thread.start();
        }

        static LaneOwner blockOnce(RingExecutorImpl ex, CountDownLatch release) throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            LaneOwner o = new LaneOwner(ex, release, started);
            assertThat(started.await(5, TimeUnit.SECONDS)).as("the lane task started").isTrue();
            return o;
        }

        @Override
        public void close() throws InterruptedException {
            done.countDown();
            thread.join(5_000);
        }
    }

    /** @return for each worker index, a key whose tasks it runs (found by running them) */
    static long[] keysOfEachWorker(RingExecutor ex, int workers) throws Exception {
        long[] keys = new long[workers];
        java.util.Map<String, Long> byThread = new java.util.HashMap<>();
        for (long k = 0; byThread.size() < workers && k < 10_000; k++) {
            String t = ex.submitKeyed(k, () -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
            byThread.putIfAbsent(t, k);
        }
        assertThat(byThread).hasSize(workers);
        for (java.util.Map.Entry<String, Long> e : byThread.entrySet()) {
            String name = e.getKey();
            keys[Integer.parseInt(name.substring(name.lastIndexOf('-') + 1))] = e.getValue();
        }
        return keys;
    }

    /** Two workers, a key of each, and latches to block each worker and release it. */
    private record Two(VelaRuntime rt, RingExecutorImpl ex, long[] keys, CountDownLatch release0,
            CountDownLatch release1, CountDownLatch started) {
        static Two start() throws Exception {
            VelaRuntime rt = StandInTest.start(2, 20);
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            return new Two(rt, ex, keysOfEachWorker(ex, 2), new CountDownLatch(1), new CountDownLatch(1),
                    new CountDownLatch(2));
        }
    }

    /** Submits a task keyed to {@code key} that counts {@code started} down, then blocks until {@code release}. */
    private static void blockOn(RingExecutor ex, long key, CountDownLatch started, CountDownLatch release) {
        ex.executeKeyed(key, () -> {
            started.countDown();
            Blocker.awaitQuietly(release);
        });
    }

    private static void awaitAtLeast(LongSupplier counter, long target, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (counter.getAsLong() < target && System.nanoTime() < end) {
            Thread.sleep(1);
        }
    }
}
