package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.internal.RingExecutorImpl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker stuck in a task among several, with stand-ins on (ADR 0019): after {@code executor.stand-in-ms} the
 * other workers cover its part of the shared ring, so submitters go on past a ring's worth of tasks; its keyed tasks
 * wait (moved to its backlog, up to a ring's worth) and run in order when it comes back; shutdown accounts for them.
 */
class StandInTest {
    private static final Logger LOG = LoggerFactory.getLogger(StandInTest.class);
    private static final int RING = 1024;

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {2, 4, 8})
    @Timeout(30)
    void submittersGoOnPastARingOfTasksWhileOneWorkerIsStuck(int workers) throws Exception {
        VelaRuntime rt = start(workers, 20);
        RingExecutor ex = rt.executor();
        CountDownLatch release = Blocker.occupyWorker(ex);
        AtomicLong ran = new AtomicLong();
        Runnable task = ran::incrementAndGet;
        long total = 8L * RING;
        long t0 = System.nanoTime();
        CompletableFuture<Void> submitter = CompletableFuture.runAsync(() -> {
            for (long i = 0; i < total; i++) {
                ex.execute(task); // policy block: holds while the ring is full
            }
        }, r -> new Thread(r, "submitter").start());
        assertThat(submitter).as("a blocking submitter got 8 rings' worth of tasks in while one worker is stuck")
                .succeedsWithin(Duration.ofSeconds(10));
        awaitAtLeast(ran, total, 10);
        LOG.info("{} workers, one stuck: {} tasks ({} rings) submitted and run in {} ms (stand-in after 20 ms)",
                workers, total, total / RING, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        assertThat(ran.get()).as("the other workers ran them all").isEqualTo(total);
        assertThat(((RingExecutorImpl) ex).standIns()).as("stand-ins granted").isPositive();
        int more = 0;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (more < RING * 2 && System.nanoTime() < until) {
            if (ex.tryExecute(task) == OfferResult.ACCEPTED) {
                more++;
            } else {
                Thread.onSpinWait(); // the others are running the ring
            }
        }
        assertThat(more).as("tryExecute finds room again and again while the worker is still stuck")
                .isEqualTo(RING * 2);
        release.countDown();
        assertThat(rt.shutdown(Duration.ofSeconds(5))).allMatch(ShutdownReport::completed);
        assertThat(ran.get()).isEqualTo(total + RING * 2);
    }

    /**
     * A keyed task that blocks: the keys of its worker wait, moved out of the ring in order, while the other keys'
     * tasks (two rings' worth in all) run; once it returns, its keys' tasks run in order.
     */
    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {2, 4})
    @Timeout(30)
    void theStuckWorkersKeysWaitInOrderWhileTheOthersRun(int workers) throws Exception {
        VelaRuntime rt = start(workers, 20);
        RingExecutor ex = rt.executor();
        int keys = 64;
        int perKey = (workers == 2 ? RING : 2 * RING) / keys; // the stuck worker's share stays well under a ring
        int ids = keys * perKey + 1;
        TaskLedger ledger = new TaskLedger(ids, keys);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Runnable first = ledger.keyed(ids - 1, 0, 0);
        ex.executeKeyed(0, () -> {
            started.countDown();
            Blocker.awaitQuietly(release);
            first.run();
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicLong[] ranOfKey = new AtomicLong[keys];
        for (int k = 0; k < keys; k++) {
            ranOfKey[k] = new AtomicLong();
        }
        CompletableFuture<Void> submitter = CompletableFuture.runAsync(() -> {
            for (int n = 0; n < perKey; n++) {
                for (int k = 0; k < keys; k++) {
                    int key = k;
                    Runnable t = ledger.keyed(k * perKey + n, k, k == 0 ? n + 1 : n);
                    ex.executeKeyed(key, () -> {
                        t.run();
                        ranOfKey[key].incrementAndGet();
                    });
                }
            }
        }, r -> new Thread(r, "submitter").start());
        assertThat(submitter).as("%d keyed tasks submitted while one worker is stuck", keys * perKey)
                .succeedsWithin(Duration.ofSeconds(10));
        long now = ledger.awaitQuiet();
        long keysDone = java.util.Arrays.stream(ranOfKey).filter(c -> c.get() == perKey).count();
        long keysUntouched = java.util.Arrays.stream(ranOfKey).filter(c -> c.get() == 0).count();
        assertThat(ranOfKey[0].get()).as("the blocked key's later tasks wait").isZero();
        assertThat(keysDone + keysUntouched).as("each key ran whole or not at all").isEqualTo(keys);
        assertThat(keysDone).as("keys of the other workers ran").isPositive();
        assertThat(now).isEqualTo(keysDone * perKey);
        assertThat(((RingExecutorImpl) ex).standIns()).isPositive();
        release.countDown();
        ledger.awaitRan(ids, 10);
        ledger.assertEachRanOnceOrWasRefused(ids, workers + " workers, a stuck keyed task");
        assertThat(rt.shutdown(Duration.ofSeconds(5))).allMatch(ShutdownReport::completed);
    }

    /**
     * The backlog holds at most a ring's worth of the stuck worker's keyed tasks beyond the ones in the ring when
     * the others stood in: past that the ring gates on the stuck worker again, as without stand-ins.
     */
    @Test
    @Timeout(30)
    void aFullBacklogHoldsSubmittersAsWithoutStandIns() throws Exception {
        VelaRuntime rt = start(4, 20);
        RingExecutor ex = rt.executor();
        TaskLedger ledger = new TaskLedger(4 * RING, 1);
        CountDownLatch release = Blocker.occupyKey(ex, 7);
        int accepted = 0;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (accepted < 4 * RING && System.nanoTime() < until) {
            OfferResult r = ex.tryExecuteKeyed(7, ledger.keyed(accepted, 0, accepted));
            if (r == OfferResult.ACCEPTED) {
                accepted++;
            } else {
                Thread.sleep(1); // full: let the stand-in come, or the backlog fill
            }
        }
        LOG.info("one key's tasks accepted behind its stuck worker: {} ({}-slot ring)", accepted, RING);
        assertThat(accepted).as("more than a ring (the stand-in moved them out), at most about two")
                .isGreaterThan(RING).isLessThanOrEqualTo(2 * RING + 1);
        assertThat(ex.tryExecute(() -> { })).as("the ring gates on the stuck worker again")
                .isEqualTo(OfferResult.FULL);
        assertThat(ledger.ran()).isZero();
        release.countDown();
        ledger.awaitRan(accepted, 10);
        ledger.assertEachRanOnceOrWasRefused(accepted, "a full backlog");
        assertThat(rt.shutdown(Duration.ofSeconds(5))).allMatch(ShutdownReport::completed);
    }

    /** {@code shutdownNow} while a worker is stood in returns its backlog (and the rest) once, in order. */
    @Test
    @Timeout(30)
    void shutdownNowReturnsTheBacklogOnce() throws Exception {
        VelaRuntime rt = start(4, 20);
        RingExecutor ex = rt.executor();
        int n = 2 * RING;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        CountDownLatch release = Blocker.occupyKey(ex, 3);
        CompletableFuture<Void> submitter = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < n; i++) {
                int id = i;
                ex.executeKeyed(i % 16, () -> runs.incrementAndGet(id));
            }
        }, r -> new Thread(r, "submitter").start());
        assertThat(submitter).succeedsWithin(Duration.ofSeconds(10));
        Thread.sleep(100);
        List<Runnable> left = ex.shutdownNow();
        release.countDown();
        assertThat(left).as("the stuck worker's keyed tasks, not run").isNotEmpty();
        for (Runnable r : left) {
            r.run();
        }
        assertThat(rt.shutdown(Duration.ofSeconds(5))).isNotNull();
        Thread.sleep(50); // a worker still running a task when shutdownNow returned finishes it
        for (int i = 0; i < n; i++) {
            assertThat(runs.get(i)).as("task %d ran or was returned exactly once", i).isEqualTo(1);
        }
    }

    /**
     * A graceful shutdown while a worker is stood in: when the worker comes back within the deadline, it runs its
     * backlog, and everything accepted ran once, in key order.
     */
    @Test
    @Timeout(30)
    void aGracefulShutdownDrainsTheBacklogWhenTheWorkerComesBack() throws Exception {
        VelaRuntime rt = start(4, 20);
        RingExecutor ex = rt.executor();
        int keys = 16;
        int perKey = 2 * RING / keys;
        TaskLedger ledger = new TaskLedger(keys * perKey, keys);
        CountDownLatch release = Blocker.occupyKey(ex, 5);
        CompletableFuture<Void> submitter = CompletableFuture.runAsync(() -> {
            for (int n = 0; n < perKey; n++) {
                for (int k = 0; k < keys; k++) {
                    ex.executeKeyed(k, ledger.keyed(k * perKey + n, k, n));
                }
            }
        }, r -> new Thread(r, "submitter").start());
        assertThat(submitter).succeedsWithin(Duration.ofSeconds(10));
        CompletableFuture<List<ShutdownReport>> closing = CompletableFuture.supplyAsync(
                () -> rt.shutdown(Duration.ofSeconds(10)), r -> new Thread(r, "closer").start());
        Thread.sleep(200);
        assertThat(closing).as("the shutdown waits for the stuck worker").isNotDone();
        release.countDown();
        assertThat(closing).succeedsWithin(Duration.ofSeconds(15))
                .satisfies(reports -> assertThat(reports).allMatch(ShutdownReport::completed));
        ledger.assertEachRanOnceOrWasRefused(keys * perKey, "shutdown while stood in");
    }

    /**
     * A submitter made while a worker is stood in for gets its lane on a worker that is not stuck (lanes are not stood
     * in for: a lane on the stuck worker would hold its submitter until it came back). Worker 0, the one a new lane
     * goes to when no worker has one, is the one blocked.
     */
    @Test
    @Timeout(30)
    void aNewSubmittersLaneGoesToAWorkerThatIsNotStuck() throws Exception {
        VelaRuntime rt = start(2, 20);
        RingExecutor ex = rt.executor();
        long keyOfWorker0 = -1;
        for (long k = 0; k < 64 && keyOfWorker0 < 0; k++) {
            CompletableFuture<String> where = ex.submitKeyed(k, () -> Thread.currentThread().getName());
            if (where.get(5, TimeUnit.SECONDS).endsWith("-0")) {
                keyOfWorker0 = k;
            }
        }
        assertThat(keyOfWorker0).as("a key of worker 0").isNotNegative();
        CountDownLatch release = Blocker.occupyKey(ex, keyOfWorker0);
        for (int i = 0; i < RING && ((RingExecutorImpl) ex).standIns() == 0; i++) {
            ex.execute(() -> { }); // work behind it, so that it is stood in for
            Thread.sleep(1);
        }
        assertThat(((RingExecutorImpl) ex).standIns()).as("worker 0 stood in for").isPositive();
        AtomicLong ran = new AtomicLong();
        CompletableFuture<Void> submitter = CompletableFuture.runAsync(() -> {
            try (TaskSubmitter s = ex.newSubmitter()) {
                for (int i = 0; i < 100; i++) {
                    s.execute(ran::incrementAndGet);
                }
            }
        }, r -> new Thread(r, "late-submitter").start());
        assertThat(submitter).succeedsWithin(Duration.ofSeconds(5));
        awaitAtLeast(ran, 100, 5);
        assertThat(ran.get()).as("the new submitter's tasks ran while worker 0 stayed stuck").isEqualTo(100);
        release.countDown();
        assertThat(rt.shutdown(Duration.ofSeconds(5))).allMatch(ShutdownReport::completed);
    }

    /** A runtime with {@code workers} parking workers on a {@value #RING}-slot ring, stand-ins after {@code ms}. */
    static VelaRuntime start(int workers, long ms) {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, workers)
                .set(Settings.EXECUTOR_RING_SIZE, RING).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.EXECUTOR_BLOCK_TIMEOUT_MS, 10_000L)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.LITE_BLOCKING)
                .set(Settings.EXECUTOR_STAND_IN_MS, ms).set(Settings.WATCHDOG_STALL_MS, 0L).build());
    }

    private static void awaitAtLeast(AtomicLong counter, long target, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (counter.get() < target && System.nanoTime() < end) {
            Thread.sleep(1);
        }
    }
}
