package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link TaskSubmitter}: a thread's own single-producer lane into the executor (ADR 0015). */
class SubmitterTest {

    private static VelaRuntime runtime(int workers, int laneSize, OverflowPolicy policy, WaitStrategy wait) {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, workers)
                .set(Settings.EXECUTOR_LANE_SIZE, laneSize).set(Settings.EXECUTOR_OVERFLOW, policy)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, wait).set(Settings.EXECUTOR_BLOCK_TIMEOUT_MS, 100L).build());
    }

    @Test
    void laneTasksRunOnceInSubmissionOrderAndResultsComplete() throws Exception {
        try (VelaRuntime rt = runtime(2, 64, OverflowPolicy.BLOCK, WaitStrategy.LITE_BLOCKING);
                TaskSubmitter s = rt.executor().newSubmitter()) {
            int n = 20_000; // many laps of a 64-slot lane
            int[] order = new int[n];
            AtomicInteger next = new AtomicInteger();
            for (int i = 0; i < n; i++) {
                int id = i;
                s.execute(() -> order[next.getAndIncrement()] = id);
            }
            CompletableFuture<String> f = s.submit(() -> "done");
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            assertThat(next.get()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(order[i]).as("position %d", i).isEqualTo(i);
            }
            assertThat(rt.executor().stats().published()).isEqualTo(n + 1);
            assertThat(rt.executor().stats().completed()).isEqualTo(n + 1);
        }
    }

    @Test
    void keyedTasksThroughASubmitterShareTheKeysOrderWithTheExecutor() throws Exception {
        try (VelaRuntime rt = runtime(3, 64, OverflowPolicy.BLOCK, WaitStrategy.YIELDING);
                TaskSubmitter s = rt.executor().newSubmitter()) {
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int id = i;
                Runnable task = () -> seen.add(id); // same key: never concurrent, so no lock needed
                if (i % 2 == 0) {
                    s.executeKeyed(42L, task);
                } else {
                    rt.executor().executeKeyed((Object) 42L, task);
                }
            }
            assertThat(s.submitKeyed(42L, seen::size).get(10, TimeUnit.SECONDS)).isEqualTo(2_000);
            for (int i = 0; i < 2_000; i++) {
                assertThat(seen.get(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void anotherThreadIsRefusedWithBothThreadsNamedAndNothingSubmitted() throws Exception {
        try (VelaRuntime rt = runtime(1, 64, OverflowPolicy.BLOCK, WaitStrategy.BLOCKING)) {
            TaskSubmitter s = rt.executor().newSubmitter();
            AtomicInteger ran = new AtomicInteger();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    s.execute(ran::incrementAndGet);
                } catch (Throwable t) {
                    thrown.set(t);
                }
                try {
                    s.close(); // the owner is alive: refused too
                } catch (SubmitterThreadException e) {
                    thrown.get().addSuppressed(e);
                }
            }, "not-the-owner");
            other.start();
            other.join(5_000);
            assertThat(thrown.get()).isInstanceOf(SubmitterThreadException.class).isInstanceOf(VelaException.class)
                    .hasMessageContaining("not-the-owner").hasMessageContaining(Thread.currentThread().getName());
            assertThat(thrown.get().getSuppressed()).hasSize(1);
            assertThat(s.submit(() -> 1).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(ran).hasValue(0);
            assertThat(rt.executor().stats().published()).isEqualTo(1);
            s.close();
        }
    }

    /** A worker parked in each ring wait strategy wakes for a lane publish; repeated so that it parks each time. */
    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BUSY_SPIN", "YIELDING", "SLEEPING", "PHASED_BACKOFF",
        "LITE_BLOCKING", "BLOCKING", "TIMEOUT_BLOCKING"})
    void aParkedWorkerWakesForALaneTask(WaitStrategy wait) throws Exception {
        try (VelaRuntime rt = runtime(1, 16, OverflowPolicy.BLOCK, wait);
                TaskSubmitter s = rt.executor().newSubmitter()) {
            for (int round = 0; round < 5; round++) {
                Thread.sleep(30); // long enough for the worker to reach its strategy's slowest phase
                CountDownLatch ran = new CountDownLatch(1);
                long start = System.nanoTime();
                s.execute(ran::countDown);
                assertThat(ran.await(2, TimeUnit.SECONDS)).as("%s round %d", wait, round).isTrue();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
            }
            // and the shared ring still wakes it too
            assertThat(rt.executor().submit(() -> "shared").get(2, TimeUnit.SECONDS)).isEqualTo("shared");
        }
    }

    @Test
    void aFullLaneFollowsTheOverflowPolicy() throws Exception {
        for (OverflowPolicy policy : OverflowPolicy.values()) {
            try (VelaRuntime rt = runtime(1, 4, policy, WaitStrategy.BLOCKING);
                    TaskSubmitter s = rt.executor().newSubmitter()) {
                CountDownLatch release = Blocker.occupyWorker(rt.executor());
                AtomicInteger ran = new AtomicInteger();
                for (int i = 0; i < 4; i++) {
                    s.execute(ran::incrementAndGet);
                }
                assertThat(s.tryExecute(ran::incrementAndGet)).isEqualTo(OfferResult.FULL);
                switch (policy) {
                    case FAIL_FAST -> assertThatThrownBy(() -> s.execute(ran::incrementAndGet))
                            .isInstanceOf(RingFullException.class).hasMessageContaining("submitter lane")
                            .hasMessageContaining("capacity 4");
                    case BLOCK_TIMEOUT -> assertThatThrownBy(() -> s.execute(ran::incrementAndGet))
                            .isInstanceOf(RingFullException.class).hasMessageContaining("block-timeout");
                    case CALLER_RUNS -> {
                        Thread me = Thread.currentThread();
                        AtomicReference<Thread> where = new AtomicReference<>();
                        s.execute(() -> where.set(Thread.currentThread()));
                        assertThat(where.get()).isSameAs(me);
                        ran.incrementAndGet();
                    }
                    case BLOCK -> {
                        Thread releaser = new Thread(() -> {
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            release.countDown();
                        });
                        releaser.start();
                        s.execute(ran::incrementAndGet); // waits for the worker to drain the lane
                        releaser.join(5_000);
                    }
                    default -> throw new AssertionError(policy);
                }
                release.countDown();
                int expected = policy == OverflowPolicy.BLOCK || policy == OverflowPolicy.CALLER_RUNS ? 5 : 4;
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() >= expected);
                Thread.sleep(20);
                assertThat(ran.get()).as(policy.configName()).isEqualTo(expected);
            }
        }
    }

    @Test
    void aBatchIsAcceptedAsAPrefixOfWhatFitsAndRunsInOrder() throws Exception {
        try (VelaRuntime rt = runtime(1, 64, OverflowPolicy.FAIL_FAST, WaitStrategy.BLOCKING);
                TaskSubmitter s = rt.executor().newSubmitter()) {
            CountDownLatch release = Blocker.occupyWorker(rt.executor());
            List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Runnable[] batch = new Runnable[100];
            for (int i = 0; i < batch.length; i++) {
                int id = i;
                batch[i] = () -> seen.add(id);
            }
            assertThat(s.tryExecuteAll(batch, 0, 10)).isEqualTo(10);
            assertThat(s.tryExecuteAll(batch, 10, 90)).as("only 54 slots left").isEqualTo(54);
            assertThat(s.tryExecuteAll(batch, 64, 36)).as("full").isZero();
            assertThat(s.tryExecuteAll(batch, 64, 0)).isZero();
            Runnable[] withNull = {batch[0], null};
            assertThatThrownBy(() -> s.tryExecuteAll(withNull, 0, 2)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> s.tryExecuteAll(batch, 90, 20)).isInstanceOf(IndexOutOfBoundsException.class);
            release.countDown();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 64);
            assertThat(s.tryExecuteAll(batch, 64, 36)).isEqualTo(36);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 100);
            for (int i = 0; i < 100; i++) {
                assertThat(seen.get(i)).isEqualTo(i);
            }
            assertThat(rt.executor().stats().rejected()).isEqualTo(1); // the one refused as full
        }
    }

    @Test
    void closingTheSubmitterRunsWhatItQueuedAndRefusesLaterTasks() throws Exception {
        try (VelaRuntime rt = runtime(1, 64, OverflowPolicy.BLOCK, WaitStrategy.BLOCKING)) {
            CountDownLatch release = Blocker.occupyWorker(rt.executor());
            TaskSubmitter s = rt.executor().newSubmitter();
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 10; i++) {
                s.execute(ran::incrementAndGet);
            }
            s.close();
            s.close(); // idempotent
            assertThatThrownBy(() -> s.execute(ran::incrementAndGet)).isInstanceOf(RingClosedException.class)
                    .hasMessageContaining("TaskSubmitter");
            assertThat(s.tryExecute(ran::incrementAndGet)).isEqualTo(OfferResult.CLOSED);
            assertThat(s.tryExecuteAll(new Runnable[] {ran::incrementAndGet}, 0, 1)).isZero();
            release.countDown();
            assertThat(rt.executor().submit(ran::get).get(5, TimeUnit.SECONDS)).isEqualTo(10);
            // the released lane is retired once empty: a new submitter still works
            try (TaskSubmitter again = rt.executor().newSubmitter()) {
                assertThat(again.submit(() -> "again").get(5, TimeUnit.SECONDS)).isEqualTo("again");
            }
        }
    }

    @Test
    void aThreadThatEndsWithoutClosingItsSubmitterDoesNotBlockShutdown() throws Exception {
        VelaRuntime rt = runtime(1, 64, OverflowPolicy.BLOCK, WaitStrategy.BLOCKING);
        CountDownLatch release = Blocker.occupyWorker(rt.executor());
        AtomicInteger ran = new AtomicInteger();
        AtomicReference<TaskSubmitter> leaked = new AtomicReference<>();
        Thread t = new Thread(() -> {
            TaskSubmitter s = rt.executor().newSubmitter();
            leaked.set(s);
            for (int i = 0; i < 20; i++) {
                s.execute(ran::incrementAndGet);
            }
        });
        t.start();
        t.join(5_000);
        release.countDown();
        List<ShutdownReport> reports = rt.shutdown(Duration.ofSeconds(5));
        assertThat(reports).allMatch(ShutdownReport::completed);
        assertThat(ran).hasValue(20);
        leaked.get().close(); // from another thread: allowed once the owner has ended
        assertThatThrownBy(() -> rt.executor().newSubmitter()).isInstanceOf(RingClosedException.class);
    }

    @Test
    void shutdownNowReturnsLaneTasksThatDidNotRunAndADeadlineReportsThem() throws Exception {
        VelaRuntime rt = runtime(1, 256, OverflowPolicy.BLOCK, WaitStrategy.BLOCKING);
        CountDownLatch release = Blocker.occupyWorker(rt.executor());
        TaskSubmitter s = rt.executor().newSubmitter();
        AtomicInteger ran = new AtomicInteger();
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            s.execute(ran::incrementAndGet);
            int n = i;
            futures.add(s.submit(() -> n));
        }
        List<Runnable> left = rt.executor().shutdownNow();
        release.countDown();
        assertThat(rt.executor().awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(left).hasSize(200);
        assertThat(ran).hasValue(0);
        assertThatThrownBy(() -> s.execute(ran::incrementAndGet)).isInstanceOf(RingClosedException.class);
        left.forEach(Runnable::run);
        assertThat(ran).hasValue(100);
        for (int i = 0; i < 100; i++) {
            assertThat(futures.get(i).get(1, TimeUnit.SECONDS)).isEqualTo(i);
        }
        rt.close();

        VelaRuntime rt2 = runtime(1, 256, OverflowPolicy.BLOCK, WaitStrategy.BLOCKING);
        CountDownLatch release2 = Blocker.occupyWorker(rt2.executor());
        CompletableFuture<String> never = rt2.executor().newSubmitter().submit(() -> "never");
        ShutdownReport exec = rt2.shutdown(Duration.ofMillis(50)).get(1);
        release2.countDown();
        assertThat(exec.completed()).isFalse();
        assertThat(exec.notRun()).isEqualTo(1);
        assertThat(never).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(Exception.class)
                .withMessageContaining("shut down before this task ran");
    }

    @Test
    void aSubmitterMadeOnAWorkerPassesTasksToTheExecutor() throws Exception {
        try (VelaRuntime rt = runtime(1, 4, OverflowPolicy.BLOCK, WaitStrategy.BLOCKING)) {
            CompletableFuture<Integer> done = rt.executor().submit(() -> {
                AtomicInteger ran = new AtomicInteger();
                try (TaskSubmitter s = rt.executor().newSubmitter()) {
                    for (int i = 0; i < 100; i++) { // more than a lane holds: a worker must not wait on it
                        s.execute(ran::incrementAndGet);
                    }
                }
                return ran.get();
            });
            assertThat(done.get(10, TimeUnit.SECONDS)).isBetween(0, 100);
        }
    }

    @Test
    void executeThroughASubmitterAllocatesNothing() throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemorySupported()) {
            return;
        }
        try (VelaRuntime rt = runtime(1, 1024, OverflowPolicy.BLOCK, WaitStrategy.YIELDING);
                TaskSubmitter s = rt.executor().newSubmitter()) {
            AtomicInteger ran = new AtomicInteger();
            Runnable task = ran::incrementAndGet;
            long id = Thread.currentThread().getId();
            for (int round = 0; round < 5; round++) { // warm up, then measure the last round
                long before = sun.getThreadAllocatedBytes(id);
                for (int i = 0; i < 200_000; i++) {
                    s.execute(task);
                }
                long bytes = sun.getThreadAllocatedBytes(id) - before;
                if (round == 4) {
                    assertThat(bytes).as("bytes allocated by 200k execute calls").isLessThan(4_096);
                }
            }
            assertThat(s.submit(ran::get).get(10, TimeUnit.SECONDS)).isEqualTo(1_000_000);
        }
    }

    @Test
    void laneSizeIsValidated() {
        assertThatThrownBy(() -> VelaConfig.builder().set("executor.lane-size", "1000").build())
                .isInstanceOf(VelaConfigException.class).hasMessageContaining("executor.lane-size")
                .hasMessageContaining("1000");
    }
}
