package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault injection against the ring executor (and the blocking pool the runtime closes with it), through the public
 * API only. Each test names the fault it injects and fails while that fault loses, repeats or hangs work.
 */
class AdversarialExecutorTest {
    private VelaRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            Thread closer = new Thread(runtime::close, "adversarial-closer");
            closer.setDaemon(true);
            closer.start();
            try {
                closer.join(5_000); // a test that proved a hang must not hang the suite
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ShutdownReport report(List<ShutdownReport> reports, String name) {
        return reports.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    // ---- a StackOverflowError between the claim and the publish

    /**
     * Submits from threads that run out of stack inside {@code execute}, round after round, until a probe task
     * submitted afterwards from a healthy thread does not run within 2 s.
     *
     * @return what was seen, or null if no round jammed the ring
     */
    private String jamByStackOverflow(RingExecutor ex) throws InterruptedException {
        AtomicInteger ran = new AtomicInteger();
        Runnable count = ran::incrementAndGet;
        int accepted = 0;
        for (int round = 0; round < 20; round++) {
            DeepSubmitter deep = new DeepSubmitter(ex, count, 0, 400);
            Thread t = new Thread(null, () -> deep.descend(0), "deep-submitter-" + round, 256 * 1024);
            t.start();
            t.join(20_000);
            accepted += deep.accepted;
            // a probe from a thread with plenty of stack: it runs unless a slot before it was never published
            CountDownLatch probe = new CountDownLatch(1);
            ex.execute(probe::countDown);
            accepted++;
            if (!probe.await(2, TimeUnit.SECONDS)) {
                return "round " + round + ": execute() returned normally " + accepted + " times, " + ran.get()
                        + " tasks ran, ring cursor + 1 = " + ex.stats().published();
            }
        }
        return null;
    }

    private VelaRuntime startForStackOverflow() {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 1 << 16).set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING)
                .set(Settings.SHUTDOWN_DEADLINE_MS, 500L).build());
    }

    @Test
    @Timeout(60)
    void stackOverflowBetweenClaimAndPublishJamsTheRingForGood() throws Exception {
        runtime = startForStackOverflow();
        String jam = jamByStackOverflow(runtime.executor());
        assertThat(jam)
                .as("a StackOverflowError thrown into execute() between its claim and its publish left a claimed "
                        + "slot unpublished, so no later task runs")
                .isNull();
    }

    @Test
    @Timeout(60)
    void stackOverflowBetweenClaimAndPublishMakesCloseMissItsDeadline() throws Exception {
        runtime = startForStackOverflow();
        String jam = jamByStackOverflow(runtime.executor());
        CompletableFuture<List<ShutdownReport>> closing = new CompletableFuture<>();
        Thread closer = new Thread(() -> closing.complete(runtime.shutdown(Duration.ofMillis(500))), "closer");
        closer.setDaemon(true);
        closer.start();
        closer.join(5_000);
        assertThat(closing.isDone())
                .as("shutdown(500 ms) returned within 5 s after a submitter overflowed its stack inside execute() "
                        + "(%s); the closer is at %s", jam, java.util.Arrays.toString(closer.getStackTrace()))
                .isTrue();
    }

    // ---- tasks reported as not run at shutdown run anyway

    /**
     * Holds the lone worker on a gate, queues a stuck (but interruptible) task and ten more behind it, then opens
     * the gate, so the worker sees the stuck task and the ten as one batch (one chunk claim).
     */
    private static final class StuckBatch {
        final AtomicInteger ran = new AtomicInteger();
        final CountDownLatch stuckDone = new CountDownLatch(1);

        StuckBatch(RingExecutor ex, long cleanupMs) throws InterruptedException {
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch gateStarted = new CountDownLatch(1);
            ex.execute(() -> {
                gateStarted.countDown();
                Blocker.awaitQuietly(gate);
            });
            assertThat(gateStarted.await(5, TimeUnit.SECONDS)).isTrue();
            CountDownLatch never = new CountDownLatch(1);
            CountDownLatch stuckStarted = new CountDownLatch(1);
            ex.execute(() -> {
                stuckStarted.countDown();
                Blocker.awaitQuietly(never); // returns when the shutdown interrupts it
                Thread.interrupted();
                try {
                    Thread.sleep(cleanupMs); // takes a moment to clean up after the interrupt, as real tasks do
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stuckDone.countDown();
            });
            for (int i = 0; i < 10; i++) {
                ex.execute(ran::incrementAndGet);
            }
            gate.countDown();
            assertThat(stuckStarted.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static RingExecutor startOneBlockingWorker(AdversarialExecutorTest test) {
        test.runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 64).set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING)
                .build());
        return test.runtime.executor();
    }

    @Test
    @Timeout(30)
    void tasksReportedNotRunAtShutdownRunAnywayAfterClose() throws Exception {
        RingExecutor ex = startOneBlockingWorker(this);
        StuckBatch batch = new StuckBatch(ex, 300);
        ShutdownReport r = report(runtime.shutdown(Duration.ofMillis(300)), "executor");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (batch.ran.get() < 10 && System.nanoTime() < deadline) { // the stuck task returns ~300 ms after close
            Thread.sleep(20);
        }
        assertThat(batch.ran.get() + r.notRun())
                .as("each of the 10 tasks behind the stuck one either ran or was reported not run, never both: "
                        + "report %s, ran %d", r, batch.ran.get())
                .isEqualTo(10);
    }

    // ---- an exception whose getMessage() throws

    /** An exception that cannot be printed: each getMessage() throws another one. */
    static final class Unprintable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new Unprintable();
        }
    }

    @Test
    @Timeout(30)
    void taskThrowingAnUnprintableExceptionKillsTheWorkerAndLosesLaterTasks() throws Exception {
        runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 64).set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING)
                .build());
        RingExecutor ex = runtime.executor();
        ex.execute(() -> {
            throw new Unprintable();
        });
        CountDownLatch after = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            ex.execute(after::countDown);
        }
        boolean allRan = after.await(3, TimeUnit.SECONDS);
        ShutdownReport r = report(runtime.shutdown(Duration.ofMillis(500)), "executor");
        assertThat(allRan)
                .as("10 tasks accepted after a task that threw an exception whose getMessage() throws: %d never ran, "
                        + "and the shutdown report says %s", after.getCount(), r)
                .isTrue();
    }

    @Test
    @Timeout(30)
    void errorHandlerThrowingAnUnprintableExceptionKillsTheWorker() throws Exception {
        runtime = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2)
                        .set(Settings.EXECUTOR_RING_SIZE, 64)
                        .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING).build())
                .errorHandler((ring, task, error) -> {
                    throw new Unprintable();
                }).start();
        RingExecutor ex = runtime.executor();
        for (int i = 0; i < 4; i++) {
            ex.executeKeyed((long) i, () -> {
                throw new IllegalStateException("task fails");
            });
        }
        CountDownLatch after = new CountDownLatch(40);
        for (int i = 0; i < 40; i++) {
            ex.executeKeyed((long) i, after::countDown);
        }
        boolean allRan = after.await(3, TimeUnit.SECONDS);
        ShutdownReport r = report(runtime.shutdown(Duration.ofMillis(500)), "executor");
        assertThat(allRan)
                .as("40 keyed tasks accepted after tasks whose error handler threw an unprintable exception: %d never "
                        + "ran, and the shutdown report says %s", after.getCount(), r)
                .isTrue();
    }

    // ---- stats

    @Test
    @Timeout(30)
    void tryExecuteRefusalsAreNotCountedAsRejected() throws Exception {
        runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 4).set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING)
                .build());
        RingExecutor ex = runtime.executor();
        CountDownLatch release = Blocker.occupyWorker(ex);
        try {
            int full = 0;
            for (int i = 0; i < 16; i++) {
                if (ex.tryExecute(() -> { }) == OfferResult.FULL) {
                    full++;
                }
            }
            assertThat(full).isPositive();
            assertThat(ex.stats().rejected())
                    .as("RingStats.rejected() counts 'items refused: ring full ... or ring shut down'; tryExecute "
                            + "refused %d", full)
                    .isEqualTo(full);
        } finally {
            release.countDown();
        }
    }

    // ---- the thread factory

    @Test
    @Timeout(30)
    void threadFactoryFailingOnTheSecondWorkerLeaksTheFirstWorkerThread() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory flaky = r -> {
            if (!made.isEmpty()) {
                throw new IllegalStateException("no more threads");
            }
            Thread t = new Thread(r);
            t.setDaemon(true);
            made.add(t);
            return t;
        };
        assertThatThrownBy(() -> VelaRuntime.builder().config(VelaConfig.builder()
                        .set(Settings.EXECUTOR_WORKERS, 2)
                        .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING).build())
                .threadFactory(flaky).start()).hasMessageContaining("no more threads");
        assertThat(made).hasSize(1);
        Thread first = made.get(0);
        first.join(2_000);
        assertThat(first.isAlive())
                .as("VelaRuntime.start() failed, yet worker thread %s it had started still runs (nobody can stop it)",
                        first.getName())
                .isFalse();
    }

    // ---- the blocking pool at close

    @Test
    @Timeout(30)
    void blockingCallNotRunAtCloseLeavesItsFutureIncompleteForever() throws Exception {
        runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.BLOCKING_MAX_THREADS, 1)
                .set(Settings.BLOCKING_BACKLOG, 4).build());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        CompletableFuture<Object> busy = runtime.blocking(() -> {
            started.countDown();
            never.await(); // interrupted by close
            return null;
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> waiting = runtime.blocking(() -> 42);
        ShutdownReport r = report(runtime.shutdown(Duration.ofMillis(300)), "blocking");
        assertThat(r.notRun()).isEqualTo(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        try {
            waiting.handle((v, e) -> e).get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            outcome.set(e);
        }
        assertThat(outcome.get())
                .as("a blocking call the shutdown reported as not run (%s) must have its future completed "
                        + "exceptionally, not left pending for ever", r)
                .isNull();
        busy.handle((v, e) -> e).get(2, TimeUnit.SECONDS); // interrupted by the close: completes on its thread
        assertThat(busy.isDone()).isTrue();
    }

    @Test
    @Timeout(30)
    void blockingCallRefusedAfterCloseIsReportedAsFullNotClosed() {
        runtime = VelaRuntime.start(VelaConfig.builder().build());
        runtime.close();
        assertThatThrownBy(() -> runtime.blocking(() -> 1))
                .as("a call refused because the pool is shut down")
                .isInstanceOf(RingClosedException.class);
    }

    @Test
    @Timeout(30)
    void shutdownNowReturnsNoneOfTheWaitingTasksYetTheyRunAfterIt() throws Exception {
        RingExecutor ex = startOneBlockingWorker(this);
        StuckBatch batch = new StuckBatch(ex, 200);
        List<Runnable> returned = ex.shutdownNow();
        assertThat(batch.stuckDone.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200);
        assertThat(batch.ran.get())
                .as("shutdownNow() 'halts the processing of waiting tasks' and returned %d of the 10 waiting tasks; "
                        + "none may start after it", returned.size())
                .isZero();
        assertThat(returned).hasSize(10);
    }

    @Test
    @Timeout(30)
    void secondShutdownDuringTheFirstReturnsAtOnceWithNoReport() throws Exception {
        runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING).build());
        CountDownLatch release = Blocker.occupyWorker(runtime.executor());
        try {
            CompletableFuture<List<ShutdownReport>> first = CompletableFuture.supplyAsync(
                    () -> runtime.shutdown(Duration.ofSeconds(2)));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!runtime.executor().isShutdown() && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            List<ShutdownReport> second = runtime.shutdown(Duration.ofSeconds(2));
            boolean stillRunning = !runtime.executor().isTerminated();
            assertThat(second)
                    .as("a second shutdown while the first is in progress (executor terminated: %s) returns the "
                            + "first's reports, after it", !stillRunning)
                    .isNotEmpty();
            first.join();
        } finally {
            release.countDown();
        }
    }

    /** An exception whose first getMessage() throws, and later ones do not. */
    static final class PrintableOnSecondTry extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public String getMessage() {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("message not ready");
            }
            return "handler failed";
        }
    }

    @Test
    @Timeout(30)
    void errorHandlerFaultEscapingMidBatchSilentlyDropsTheRestOfTheBatch() throws Exception {
        runtime = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                        .set(Settings.EXECUTOR_RING_SIZE, 64)
                        .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING).build())
                .errorHandler((ring, task, error) -> {
                    throw new PrintableOnSecondTry();
                }).start();
        RingExecutor ex = runtime.executor();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch gateStarted = new CountDownLatch(1);
        ex.execute(() -> {
            gateStarted.countDown();
            Blocker.awaitQuietly(gate);
        });
        assertThat(gateStarted.await(5, TimeUnit.SECONDS)).isTrue();
        ex.execute(() -> {
            throw new IllegalArgumentException("task fails");
        });
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            ex.execute(ran::incrementAndGet);
        }
        gate.countDown(); // the failing task and the ten behind it are one batch
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (ran.get() < 10 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        CountDownLatch probe = new CountDownLatch(1);
        ex.execute(probe::countDown);
        assertThat(probe.await(5, TimeUnit.SECONDS)).as("the worker is alive").isTrue();
        ShutdownReport r = report(runtime.shutdown(Duration.ofSeconds(1)), "executor");
        assertThat(ran.get())
                .as("the 10 tasks behind a task whose error handler's fault escaped run, or are reported (report: %s; "
                        + "stats: completed %d, failed %d)", r, ex.stats().completed(), ex.stats().failed())
                .isEqualTo(10 - r.notRun());
    }

    @Test
    @Timeout(30)
    void watchdogReportsAStallWhileTheWorkerRunsManyShortTasksOfOneBatch() throws Exception {
        List<Duration> stalls = new CopyOnWriteArrayList<>();
        runtime = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                        .set(Settings.EXECUTOR_RING_SIZE, 256)
                        .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING)
                        .set(Settings.WATCHDOG_STALL_MS, 300L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> stalls.add(Duration.ofNanos(System.nanoTime()))).start();
        RingExecutor ex = runtime.executor();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch gateStarted = new CountDownLatch(1);
        ex.execute(() -> {
            gateStarted.countDown();
            Blocker.awaitQuietly(gate);
        });
        assertThat(gateStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CountDownLatch done = new CountDownLatch(60);
        for (int i = 0; i < 60; i++) {
            ex.execute(() -> {
                try {
                    Thread.sleep(20); // each task takes 20 ms, far below watchdog.stall-ms = 300
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        long released = System.nanoTime();
        gate.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        // only reports made once the short tasks were running (the gate itself may be reported before)
        stalls.removeIf(at -> at.toNanos() - released < TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(stalls)
                .as("no task ran longer than 20 ms, yet the watchdog (stall-ms 300) reported the worker 'stuck on "
                        + "one task' %d time(s) while they ran", stalls.size())
                .isEmpty();
    }

    @Test
    @Timeout(30)
    void sameLongKeyGoesToDifferentWorkersThroughExecuteKeyedAndSubmitKeyed() throws Exception {
        runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 4)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING).build());
        RingExecutor ex = runtime.executor();
        List<String> mismatches = new CopyOnWriteArrayList<>();
        for (long i = 0; i < 16; i++) {
            long account = -1 - i; // or any id >= 2^31: Long.hashCode(id) != id
            CompletableFuture<String> viaExecute = new CompletableFuture<>();
            ex.executeKeyed(account, () -> viaExecute.complete(Thread.currentThread().getName()));
            // RingExecutor has no submitKeyed(long, ...): the same account id is boxed to a Long
            String viaSubmit = ex.submitKeyed(account, () -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
            String executed = viaExecute.get(5, TimeUnit.SECONDS);
            if (!executed.equals(viaSubmit)) {
                mismatches.add(account + ": executeKeyed on " + executed + ", submitKeyed on " + viaSubmit);
            }
        }
        assertThat(mismatches)
                .as("tasks with the same key run in order and never concurrently, so on the same worker")
                .isEmpty();
    }
}
