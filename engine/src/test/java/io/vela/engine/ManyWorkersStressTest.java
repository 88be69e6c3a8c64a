package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor with 4 and 8 workers (more workers than this machine's cores, so the scheduler interleaves them in
 * every way it can) and 4 submitter threads, for a bounded time: every accepted task runs exactly once, tasks of one
 * key run in the order of their happens-before-ordered submissions and never overlap, keyed tasks spread over all
 * workers, and a close or {@code shutdownNow} racing the submitters accounts for every task.
 */
class ManyWorkersStressTest {
    private static final Logger LOG = LoggerFactory.getLogger(ManyWorkersStressTest.class);
    private static final int SUBMITTERS = 4;
    private static final int PRIVATE_KEYS_PER_SUBMITTER = 16;
    private static final int SHARED_KEYS = 8;
    private static final int KEYS = SUBMITTERS * PRIVATE_KEYS_PER_SUBMITTER + SHARED_KEYS;

    static Stream<Arguments> workersAndStrategies() {
        return Stream.of(Arguments.of(4, WaitStrategy.LITE_BLOCKING), Arguments.of(8, WaitStrategy.LITE_BLOCKING),
                Arguments.of(8, WaitStrategy.SLEEPING));
    }

    /**
     * Each submitter sends, in turn, an unkeyed task, a task on one of its own keys, and a task on a key all
     * submitters share; the shared keys' submissions are ordered by a lock per key (happens-before across threads).
     * One shared-key task in ten goes through {@code submitKeyed(Object, ..)}, which keeps one order with the
     * {@code long} key. Now and then an unkeyed task throws. The ring is small (256), so it wraps and submitters wait.
     */
    @ParameterizedTest(name = "{0} workers, {1}")
    @MethodSource("workersAndStrategies")
    @Timeout(30)
    void everyTaskRunsOnceAndEachKeyKeepsItsOrder(int workers, WaitStrategy strategy) throws Exception {
        int maxIds = 400_000;
        TaskLedger ledger = new TaskLedger(maxIds, KEYS);
        AtomicLong thrownSeen = new AtomicLong();
        VelaRuntime rt = VelaRuntime.builder()
                .config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, workers)
                        .set(Settings.EXECUTOR_RING_SIZE, 256).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                        .set(Settings.EXECUTOR_WAIT_STRATEGY, strategy).build())
                .errorHandler((ring, task, error) -> thrownSeen.incrementAndGet())
                .start();
        RingExecutor ex = rt.executor();
        AtomicInteger nextId = new AtomicInteger();
        AtomicLong thrown = new AtomicLong();
        Object[] sharedLocks = new Object[SHARED_KEYS];
        long[] sharedNext = new long[SHARED_KEYS];
        for (int k = 0; k < SHARED_KEYS; k++) {
            sharedLocks[k] = new Object();
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_200);
        List<CompletableFuture<Integer>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread[] threads = new Thread[SUBMITTERS];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int s = 0; s < SUBMITTERS; s++) {
            int submitter = s;
            threads[s] = new Thread(() -> {
                Blocker.awaitQuietly(go);
                long[] ownNext = new long[PRIVATE_KEYS_PER_SUBMITTER];
                for (int i = 0; System.nanoTime() < end; i++) {
                    int id = nextId.getAndIncrement();
                    if (id >= maxIds) {
                        return;
                    }
                    switch (i % 3) {
                        case 0 -> {
                            if (i % 10_007 == 0) {
                                thrown.incrementAndGet();
                                Runnable counted = ledger.unkeyed(id);
                                ex.execute(() -> {
                                    counted.run();
                                    throw new IllegalStateException("a task that throws");
                                });
                            } else {
                                ex.execute(ledger.unkeyed(id));
                            }
                        }
                        case 1 -> {
                            int own = i % PRIVATE_KEYS_PER_SUBMITTER;
                            int key = submitter * PRIVATE_KEYS_PER_SUBMITTER + own;
                            ex.executeKeyed(key, ledger.keyed(id, key, ownNext[own]++));
                        }
                        default -> {
                            int shared = i % SHARED_KEYS;
                            int key = SUBMITTERS * PRIVATE_KEYS_PER_SUBMITTER + shared;
                            synchronized (sharedLocks[shared]) {
                                Runnable task = ledger.keyed(id, key, sharedNext[shared]++);
                                if (i % 10 == 2) {
                                    futures.add(ex.submitKeyed((Object) Long.valueOf(key), () -> {
                                        task.run();
                                        return id;
                                    }));
                                } else {
                                    ex.executeKeyed(key, task);
                                }
                            }
                        }
                    }
                }
            }, "submitter-" + s);
            threads[s].setUncaughtExceptionHandler((t, e) -> failure.compareAndSet(null, e));
            threads[s].start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(20_000);
            assertThat(t.isAlive()).as("submitter finished").isFalse();
        }
        assertThat(failure.get()).as("a submitter failed").isNull();
        int total = Math.min(nextId.get(), maxIds);
        ledger.awaitRan(total, 20);
        String context = workers + " workers, " + strategy.configName() + ", " + total + " tasks";
        ledger.assertEachRanOnceOrWasRefused(total, context);
        assertThat(total).as("tasks submitted in the time").isGreaterThan(10_000);
        for (CompletableFuture<Integer> f : futures) {
            assertThat(f).succeedsWithin(Duration.ofSeconds(5));
        }
        // a worker publishes its counters after each batch, just after the batch's last task ran
        long statsEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((ex.stats().completed() < total || ex.stats().failed() < thrown.get())
                && System.nanoTime() < statsEnd) {
            Thread.sleep(1);
        }
        assertThat(ex.stats().completed()).as(context).isEqualTo(total);
        assertThat(ex.stats().failed()).as(context).isEqualTo(thrown.get());
        assertThat(thrownSeen.get()).as("thrown tasks reported").isEqualTo(thrown.get());
        assertThat(ledger.threads()).as("keyed tasks spread over every worker").hasSize(workers);
        assertThat(rt.shutdown(Duration.ofSeconds(10))).allMatch(ShutdownReport::completed);
    }

    /**
     * Round after round (about 2.5 s), 4 submitters send unkeyed and keyed tasks into a 64-slot ring while the test
     * closes the executor (half the rounds a graceful {@code shutdown}, half {@code shutdownNow}, whose returned
     * tasks the test then runs) after a random share of the submissions: every task ran exactly once or was refused, and keyed tasks
     * ran in their order.
     */
    @ParameterizedTest(name = "{0} workers")
    @MethodSource("workersAndStrategies")
    @Timeout(30)
    void closeRacingSubmittersAccountsForEveryTask(int workers, WaitStrategy strategy) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
        int rounds = 0;
        long totalRan = 0;
        long totalRefused = 0;
        while (System.nanoTime() < end || rounds < 20) {
            boolean now = rounds % 2 == 1;
            long[] counts = raceOneRound(workers, strategy, now, rounds);
            totalRan += counts[0];
            totalRefused += counts[1];
            rounds++;
        }
        LOG.info("{} workers, {}: {} rounds, {} tasks ran, {} refused", workers, strategy.configName(), rounds,
                totalRan, totalRefused);
        assertThat(totalRan).as("tasks ran over %d rounds", rounds).isPositive();
        assertThat(totalRefused).as("tasks refused over %d rounds", rounds).isPositive();
    }

    /** @return {ran, refused} */
    private static long[] raceOneRound(int workers, WaitStrategy strategy, boolean now, int round) throws Exception {
        int perSubmitter = 2_000;
        int keysPerSubmitter = 4;
        TaskLedger ledger = new TaskLedger(SUBMITTERS * perSubmitter, SUBMITTERS * keysPerSubmitter);
        VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, workers)
                .set(Settings.EXECUTOR_RING_SIZE, 64).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, strategy).build());
        RingExecutor ex = rt.executor();
        AtomicLong refused = new AtomicLong();
        AtomicLong attempts = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[SUBMITTERS];
        for (int s = 0; s < SUBMITTERS; s++) {
            int base = s * perSubmitter;
            int keyBase = s * keysPerSubmitter;
            threads[s] = new Thread(() -> {
                Blocker.awaitQuietly(go);
                long[] next = new long[keysPerSubmitter];
                for (int i = 0; i < perSubmitter; i++) {
                    int id = base + i;
                    attempts.incrementAndGet();
                    try {
                        if ((i & 1) == 0) {
                            ex.execute(ledger.unkeyed(id));
                        } else {
                            int k = (i >> 1) % keysPerSubmitter;
                            // a refusal spends its number; only the close refuses here (policy block), and
                            // every later submission of this thread is refused too, so no run follows a gap
                            ex.executeKeyed(keyBase + k, ledger.keyed(id, keyBase + k, next[k]++));
                        }
                    } catch (RingRejectedException e) {
                        ledger.rejected(id);
                        refused.incrementAndGet();
                    }
                }
            }, "submitter-" + s);
            threads[s].setUncaughtExceptionHandler((t, e) -> failure.compareAndSet(null, e));
            threads[s].start();
        }
        go.countDown();
        // close mid-stream: after a random share of the attempts (threads start late on a busy machine)
        long closeAfter = ThreadLocalRandom.current().nextLong(SUBMITTERS * perSubmitter * 3L / 4);
        long waitEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (attempts.get() < closeAfter && System.nanoTime() < waitEnd) {
            Thread.yield();
        }
        List<Runnable> returned = List.of();
        if (now) {
            returned = ex.shutdownNow();
            assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).as("terminated after shutdownNow").isTrue();
        } else {
            assertThat(rt.shutdown(Duration.ofSeconds(10))).allMatch(ShutdownReport::completed);
        }
        for (Thread t : threads) {
            t.join(10_000);
            assertThat(t.isAlive()).as("submitter finished").isFalse();
        }
        assertThat(failure.get()).as("a submitter failed").isNull();
        returned.forEach(Runnable::run);
        rt.close();
        String context = "round " + round + ", " + workers + " workers, " + (now ? "shutdownNow" : "shutdown")
                + ", returned " + returned.size() + ", refused " + refused.get();
        ledger.assertEachRanOnceOrWasRefused(SUBMITTERS * perSubmitter, context);
        assertThat(ledger.ran() + refused.get()).as(context).isEqualTo((long) SUBMITTERS * perSubmitter);
        return new long[] {ledger.ran(), refused.get()};
    }
}
