package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.internal.RingExecutorImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stand-ins (ADR 0019) granted, declined and taken back many times a second, racing submitters, for a bounded time:
 * a 1 ms threshold, and now and then a task that sleeps a few milliseconds, so that workers are stood in for, come
 * back, decline requests that found them moving, and cover for one another, on a small ring that wraps all the
 * time. Every accepted task runs exactly once, one key's tasks run in order and never overlap; a {@code shutdownNow}
 * racing it all accounts for every task.
 */
class StandInStressTest {
    private static final Logger LOG = LoggerFactory.getLogger(StandInStressTest.class);
    private static final int SUBMITTERS = 3;
    private static final int KEYS_PER_SUBMITTER = 16;
    private static final int KEYS = SUBMITTERS * KEYS_PER_SUBMITTER;

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {2, 4})
    @Timeout(40)
    void everyTaskRunsOnceInKeyOrderWhileStandInsComeAndGo(int workers) throws Exception {
        int maxIds = 600_000;
        TaskLedger ledger = new TaskLedger(maxIds, KEYS);
        VelaRuntime rt = start(workers);
        RingExecutor ex = rt.executor();
        AtomicInteger nextId = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        List<CompletableFuture<Void>> subs = new ArrayList<>();
        for (int s = 0; s < SUBMITTERS; s++) {
            int me = s;
            subs.add(CompletableFuture.runAsync(() -> {
                long[] seqOfKey = new long[KEYS_PER_SUBMITTER];
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    int id = nextId.getAndIncrement();
                    if (id >= maxIds) {
                        return;
                    }
                    int k = rnd.nextInt(KEYS_PER_SUBMITTER);
                    int key = me * KEYS_PER_SUBMITTER + k;
                    boolean slow = rnd.nextInt(400) == 0;
                    if (rnd.nextInt(4) == 0) {
                        Runnable t = ledger.unkeyed(id);
                        ex.execute(slow ? () -> {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(rnd(2, 6)));
                            t.run();
                        } : t);
                    } else {
                        Runnable t = ledger.keyed(id, key, seqOfKey[k]++);
                        ex.executeKeyed(key, slow ? () -> {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(rnd(2, 6)));
                            t.run();
                        } : t);
                    }
                }
            }, r -> new Thread(r, "submitter-" + me).start()));
        }
        for (CompletableFuture<Void> f : subs) {
            assertThat(f).succeedsWithin(Duration.ofSeconds(20));
        }
        int submitted = Math.min(nextId.get(), maxIds);
        ledger.awaitRan(submitted, 20);
        long standIns = ((RingExecutorImpl) ex).standIns();
        LOG.info("{} workers: {} tasks, {} stand-ins; {}", workers, submitted, standIns,
                ((RingExecutorImpl) ex).describeWorkers());
        ledger.assertEachRanOnceOrWasRefused(submitted, workers + " workers, stand-ins racing ("
                + ((RingExecutorImpl) ex).describeWorkers() + ")");
        assertThat(standIns).as("stand-ins were granted").isPositive();
        assertThat(rt.shutdown(Duration.ofSeconds(5))).allMatch(ShutdownReport::completed);
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {2, 4})
    @Timeout(40)
    void shutdownNowRacingStandInsAccountsForEveryTask(int workers) throws Exception {
        for (int round = 0; round < 5; round++) {
            int maxIds = 200_000;
            AtomicIntegerArray runs = new AtomicIntegerArray(maxIds);
            AtomicIntegerArray refused = new AtomicIntegerArray(maxIds);
            VelaRuntime rt = start(workers);
            RingExecutor ex = rt.executor();
            AtomicInteger nextId = new AtomicInteger();
            List<CompletableFuture<Void>> subs = new ArrayList<>();
            for (int s = 0; s < SUBMITTERS; s++) {
                int me = s;
                subs.add(CompletableFuture.runAsync(() -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    while (true) {
                        int id = nextId.getAndIncrement();
                        if (id >= maxIds) {
                            return;
                        }
                        boolean slow = rnd.nextInt(300) == 0;
                        Runnable t = slow ? () -> {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
                            runs.incrementAndGet(id);
                        } : () -> runs.incrementAndGet(id);
                        try {
                            ex.executeKeyed(me * KEYS_PER_SUBMITTER + rnd.nextInt(KEYS_PER_SUBMITTER), t);
                        } catch (RingRejectedException e) {
                            refused.incrementAndGet(id);
                            return;
                        }
                    }
                }, r -> new Thread(r, "submitter-" + me).start()));
            }
            Thread.sleep(150 + 50 * round);
            List<Runnable> left = ex.shutdownNow();
            for (CompletableFuture<Void> f : subs) {
                assertThat(f).succeedsWithin(Duration.ofSeconds(10));
            }
            rt.shutdown(Duration.ofSeconds(5));
            Thread.sleep(30); // a slow task still running when shutdownNow returned finishes
            for (Runnable r : left) {
                r.run();
            }
            int submitted = Math.min(nextId.get(), maxIds);
            for (int id = 0; id < submitted; id++) {
                int r = runs.get(id);
                int x = refused.get(id);
                assertThat(r + x).as("round %d, task %d: ran or returned (%d) or refused (%d) exactly once", round,
                        id, r, x).isEqualTo(1);
            }
        }
    }

    private static long rnd(int lo, int hi) {
        return ThreadLocalRandom.current().nextInt(lo, hi + 1);
    }

    private static VelaRuntime start(int workers) {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, workers)
                .set(Settings.EXECUTOR_RING_SIZE, 256).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.EXECUTOR_BLOCK_TIMEOUT_MS, 10_000L)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.LITE_BLOCKING)
                .set(Settings.EXECUTOR_STAND_IN_MS, 1L).set(Settings.WATCHDOG_STALL_MS, 0L).build());
    }
}
