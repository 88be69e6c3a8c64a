package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RingExecutorTest {
    private VelaRuntime runtime;

    private VelaRuntime start(VelaConfig.Builder config) {
        runtime = VelaRuntime.start(config.build());
        return runtime;
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BUSY_SPIN", "YIELDING", "PHASED_BACKOFF", "SLEEPING",
            "LITE_BLOCKING", "BLOCKING", "TIMEOUT_BLOCKING"})
    void runsEveryTaskWithEachWaitStrategy(WaitStrategy wait) {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2)
                .set(Settings.EXECUTOR_RING_SIZE, 64).set(Settings.EXECUTOR_WAIT_STRATEGY, wait)).executor();
        AtomicInteger ran = new AtomicInteger();
        Runnable task = ran::incrementAndGet;
        for (int i = 0; i < 10_000; i++) {
            ex.execute(task);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 10_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> ex.stats().completed() == 10_000);
        assertThat(ex.stats().published()).isEqualTo(10_000);
        assertThat(ex.stats().largestBatch()).isPositive();
        assertThat(ex.stats().remainingCapacity()).isEqualTo(64);
    }

    @Test
    void submitReturnsResultAndError() throws Exception {
        RingExecutor ex = start(VelaConfig.builder()).executor();
        assertThat(ex.submit(() -> 6 * 7).get(5, TimeUnit.SECONDS)).isEqualTo(42);
        var failing = ex.submit(() -> {
            throw new IllegalStateException("boom");
        });
        assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(ex.submit(() -> { }).get(5, TimeUnit.SECONDS)).isNull();
        assertThat(ex.invokeAll(List.of(() -> 1, () -> 2))).extracting(f -> f.get()).containsExactly(1, 2);
    }

    @Test
    void throwingTaskGoesToHandlerAndWorkerSurvives() {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        runtime = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).build())
                .errorHandler((ring, task, error) -> errors.add(error)).start();
        RingExecutor ex = runtime.executor();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            int n = i;
            ex.execute(() -> {
                if (n % 10 == 0) {
                    throw new IllegalArgumentException("task " + n);
                }
                ran.incrementAndGet();
            });
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 90 && errors.size() == 10);
        assertThat(errors).allMatch(e -> e instanceof IllegalArgumentException);
        await().atMost(Duration.ofSeconds(5)).until(() -> ex.stats().failed() == 10);
        assertThat(ex.stats().completed()).isEqualTo(100);
    }

    @Test
    void sameKeyRunsInOrderAndNeverConcurrently() {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 3)
                .set(Settings.EXECUTOR_RING_SIZE, 256)).executor();
        int keys = 16;
        int perKey = 2_000;
        Map<Long, List<Integer>> seen = new ConcurrentHashMap<>();
        Map<Long, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        Map<Long, String> threadOf = new ConcurrentHashMap<>();
        for (long k = 0; k < keys; k++) {
            seen.put(k, new ArrayList<>());
            running.put(k, new AtomicInteger());
        }
        for (int i = 0; i < perKey; i++) {
            for (long k = 0; k < keys; k++) {
                long key = k;
                int n = i;
                ex.executeKeyed(key, () -> {
                    if (running.get(key).incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    seen.get(key).add(n); // unsynchronized on purpose: one thread at a time per key
                    threadOf.putIfAbsent(key, Thread.currentThread().getName());
                    running.get(key).decrementAndGet();
                });
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ex.stats().completed() == (long) keys * perKey);
        assertThat(overlaps).hasValue(0);
        for (long k = 0; k < keys; k++) {
            List<Integer> order = seen.get(k);
            assertThat(order).hasSize(perKey);
            for (int i = 0; i < perKey; i++) {
                assertThat(order.get(i)).isEqualTo(i);
            }
        }
        assertThat(threadOf.values().stream().distinct().count()).as("keys spread over workers").isGreaterThan(1);
    }

    @Test
    void withoutStandInsALongUnkeyedTaskDoesNotHoldBackOthersUntilTheRingWraps() throws Exception {
        int ringSize = 64;
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2)
                .set(Settings.EXECUTOR_STAND_IN_MS, 0L) // with them (the default) see StandInTest
                .set(Settings.EXECUTOR_RING_SIZE, ringSize)).executor();
        CountDownLatch release = Blocker.occupyWorker(ex);
        AtomicInteger ran = new AtomicInteger();
        int accepted = 0;
        for (int i = 0; i < 1_000; i++) { // far more than the ring holds
            if (ex.tryExecute(ran::incrementAndGet).accepted()) {
                accepted++;
            } else {
                Thread.sleep(1); // give the free worker time: only the stuck worker may hold the ring
            }
        }
        int beforeRelease = accepted;
        // the free worker runs everything behind the long task until the stuck worker's position is a whole ring
        // behind the cursor; then the ring is full and submitters meet the overflow policy (ADR 0001)
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == beforeRelease);
        assertThat(beforeRelease).as("tasks run past the long one").isGreaterThanOrEqualTo(ringSize - 1)
                .isLessThan(1_000);
        assertThat(ex.stats().remainingCapacity()).isZero();
        release.countDown();
        for (int i = 0; i < 1_000; i++) {
            ex.execute(ran::incrementAndGet);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == beforeRelease + 1_000);
    }

    @Test
    void failFastNamesRingAndCapacity() throws Exception {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 4).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.FAIL_FAST))
                .executor();
        CountDownLatch release = Blocker.occupyWorker(ex);
        // the blocked task still holds its slot until its batch ends: 3 more fit
        AtomicInteger accepted = new AtomicInteger();
        RingFullException full = null;
        for (int i = 0; i < 10 && full == null; i++) {
            try {
                ex.execute(accepted::incrementAndGet);
            } catch (RingFullException e) {
                full = e;
            }
        }
        assertThat(full).isNotNull();
        assertThat(full.ring()).isEqualTo("executor");
        assertThat(full.capacity()).isEqualTo(4);
        assertThat(full).hasMessageContaining("ring 'executor' (capacity 4) is full (overflow policy fail-fast)");
        assertThat(ex.stats().rejected()).isEqualTo(1);
        long acceptedBefore = ex.stats().published() - 1;
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> accepted.get() == acceptedBefore);
    }

    @Test
    void callerRunsRunsOnSubmitterWhenFull() throws Exception {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 2).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.CALLER_RUNS))
                .executor();
        CountDownLatch release = Blocker.occupyWorker(ex);
        AtomicReference<String> ranOn = new AtomicReference<>();
        for (int i = 0; i < 5; i++) {
            ex.execute(() -> ranOn.compareAndSet(null, Thread.currentThread().getName()));
            if (ranOn.get() != null) {
                break;
            }
        }
        assertThat(ranOn.get()).isEqualTo(Thread.currentThread().getName());
        release.countDown();
    }

    @Test
    void blockTimeoutGivesUpAfterTimeout() throws Exception {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 2).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK_TIMEOUT)
                .set(Settings.EXECUTOR_BLOCK_TIMEOUT_MS, 50L)).executor();
        CountDownLatch release = Blocker.occupyWorker(ex);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 5; i++) {
                ex.execute(() -> { });
            }
        }).isInstanceOf(RingFullException.class).hasMessageContaining("stayed full for 50 ms");
        release.countDown();
    }

    @Test
    void blockedSubmitterIsReleasedByClose() throws Exception {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 2).set(Settings.SHUTDOWN_DEADLINE_MS, 100L)).executor();
        CountDownLatch release = new CountDownLatch(1);
        ex.execute(() -> Blocker.awaitQuietly(release));
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread submitter = new Thread(() -> {
            try {
                for (int i = 0; i < 10; i++) {
                    ex.execute(() -> { });
                }
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        submitter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> ex.stats().remainingCapacity() == 0);
        List<ShutdownReport> reports = runtime.shutdown(Duration.ofMillis(100));
        submitter.join(5_000);
        assertThat(outcome.get()).isInstanceOf(RingClosedException.class).hasMessageContaining("is shut down");
        ShutdownReport exec = reports.stream().filter(r -> r.name().equals("executor")).findFirst().orElseThrow();
        assertThat(exec.completed()).isFalse();
        assertThat(exec.notRun()).as("the queued task behind the stuck one").isEqualTo(1);
        release.countDown();
    }
}
