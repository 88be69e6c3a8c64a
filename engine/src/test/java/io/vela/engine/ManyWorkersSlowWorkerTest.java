package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One slow (blocked) worker among several with stand-ins off ({@code executor.stand-in-ms=0}; with them on see
 * {@code StandInTest}), as ADR 0001 describes it: the other workers go on running unkeyed tasks
 * until the ring wraps onto the blocked worker's position (the ring gates on its slowest consumer), then the ring
 * refuses ({@code tryExecute}) or holds ({@code execute} with policy {@code block}) every submitter until the slow
 * worker moves; then everything runs.
 */
class ManyWorkersSlowWorkerTest {
    private static final Logger LOG = LoggerFactory.getLogger(ManyWorkersSlowWorkerTest.class);
    private static final int RING = 1024;
    /** The most slots a worker takes in one step (ExecutorWorker.MAX_CLAIM): its gating sequence may lag by this. */
    private static final int CHUNK = 256;

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {4, 8})
    @Timeout(30)
    void theOtherWorkersGoOnUntilTheRingWrapsThenSubmittersWait(int workers) throws Exception {
        VelaRuntime rt = start(workers);
        RingExecutor ex = rt.executor();
        CountDownLatch release = Blocker.occupyWorker(ex);
        AtomicLong ran = new AtomicLong();
        Runnable task = ran::incrementAndGet;
        long accepted = 0;
        long start = System.nanoTime();
        while (accepted < 2L * RING) {
            if (ex.tryExecute(task) == OfferResult.ACCEPTED) {
                accepted++;
                continue;
            }
            // full: wait until the healthy workers have run everything, then try once more
            awaitAtLeast(ran, accepted, 5);
            if (ex.tryExecute(task) == OfferResult.ACCEPTED) {
                accepted++;
                continue;
            }
            break;
        }
        long tookNanos = System.nanoTime() - start;
        LOG.info("{} workers, one blocked: {} tasks accepted and run by the others in {} us before the {}-slot ring "
                + "wrapped onto it", workers, accepted, TimeUnit.NANOSECONDS.toMicros(tookNanos), RING);
        assertThat(ran.get()).as("the other workers ran every accepted task while one was blocked")
                .isEqualTo(accepted);
        assertThat(accepted).as("accepted before the ring wrapped onto the blocked worker")
                .isLessThanOrEqualTo(RING - 1).isGreaterThanOrEqualTo(RING - 1 - CHUNK);

        // the ring stays full while the slow worker is stuck: a blocking submitter waits
        CompletableFuture<Void> blockedSubmit = CompletableFuture.runAsync(() -> ex.execute(task),
                r -> new Thread(r, "blocked-submitter").start());
        Thread.sleep(200);
        assertThat(ex.tryExecute(task)).as("still full while the worker is blocked").isEqualTo(OfferResult.FULL);
        assertThat(blockedSubmit).as("a submitter waits while the ring is full").isNotDone();
        assertThat(ran.get()).isEqualTo(accepted);

        release.countDown();
        assertThat(blockedSubmit).as("the waiting submitter goes on once the worker moves")
                .succeedsWithin(Duration.ofSeconds(5));
        awaitAtLeast(ran, accepted + 1, 5);
        assertThat(ran.get()).isEqualTo(accepted + 1);
        // the released worker still has to walk past the others' slots (a chunk at a time) before its sequence frees
        // the ring: room comes back within moments, not necessarily at once
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        OfferResult again = ex.tryExecute(task);
        while (again == OfferResult.FULL && System.nanoTime() < until) {
            Thread.onSpinWait();
            again = ex.tryExecute(task);
        }
        assertThat(again).as("room once the released worker caught up").isEqualTo(OfferResult.ACCEPTED);
        assertThat(rt.shutdown(Duration.ofSeconds(5))).allMatch(ShutdownReport::completed);
        assertThat(ran.get()).isEqualTo(accepted + 2);
    }

    /**
     * A keyed task that blocks holds back its own key (and the keys that hash to its worker), not the other keys:
     * while it blocks, the tasks of many other keys run; after it returns, its key's later tasks run in order.
     */
    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {4, 8})
    @Timeout(30)
    void aBlockedKeyedTaskHoldsBackItsKeyNotTheOthers(int workers) throws Exception {
        VelaRuntime rt = start(workers);
        RingExecutor ex = rt.executor();
        int keys = 64;
        int perKey = 4;
        long blockedKey = 0;
        TaskLedger ledger = new TaskLedger(keys * perKey + 1, keys);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Runnable first = ledger.keyed(keys * perKey, (int) blockedKey, 0);
        ex.executeKeyed(blockedKey, () -> {
            started.countDown();
            Blocker.awaitQuietly(release);
            first.run();
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).as("blocking keyed task started").isTrue();
        AtomicLong[] ranOfKey = new AtomicLong[keys];
        for (int k = 0; k < keys; k++) {
            ranOfKey[k] = new AtomicLong();
        }
        for (int n = 0; n < perKey; n++) {
            for (int k = 0; k < keys; k++) {
                int key = k;
                Runnable t = ledger.keyed(k * perKey + n, k, k == blockedKey ? n + 1 : n);
                ex.executeKeyed(key, () -> {
                    t.run();
                    ranOfKey[key].incrementAndGet();
                });
            }
        }
        // every key whose worker is not the blocked one drains; wait until nothing has run for 250 ms
        long now = ledger.awaitQuiet();
        long keysDone = java.util.Arrays.stream(ranOfKey).filter(c -> c.get() == perKey).count();
        assertThat(ranOfKey[(int) blockedKey].get()).as("the blocked key's later tasks wait").isZero();
        assertThat(keysDone).as("keys of the other %d workers went on", workers - 1).isPositive()
                .isLessThan(keys);
        assertThat(now).as("only whole keys ran").isEqualTo(keysDone * perKey);
        release.countDown();
        ledger.awaitRan(keys * perKey + 1, 5);
        ledger.assertEachRanOnceOrWasRefused(keys * perKey + 1, workers + " workers, a blocked keyed task");
        assertThat(rt.shutdown(Duration.ofSeconds(5))).allMatch(ShutdownReport::completed);
    }

    /** A runtime with {@code workers} parking workers on a {@value #RING}-slot ring, without watchdog or stand-ins. */
    private static VelaRuntime start(int workers) {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, workers)
                .set(Settings.EXECUTOR_RING_SIZE, RING).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.LITE_BLOCKING)
                .set(Settings.WATCHDOG_STALL_MS, 0L).set(Settings.EXECUTOR_STAND_IN_MS, 0L).build());
    }

    private static void awaitAtLeast(AtomicLong counter, long target, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (counter.get() < target && System.nanoTime() < end) {
            Thread.sleep(1);
        }
    }
}
