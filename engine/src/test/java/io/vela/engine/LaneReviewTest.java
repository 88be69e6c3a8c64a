package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Review of the submitter lanes (ADR 0015): paths the first tests did not cover. */
class LaneReviewTest {

    @Test
    void aWorkerStuckInALaneTaskIsReportedEvenWhenTheSharedRingIsIdle() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        AtomicReference<String> who = new AtomicReference<>();
        try (VelaRuntime rt = VelaRuntime.builder()
                .config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                        .set(Settings.WATCHDOG_STALL_MS, 50L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> {
                    who.set(worker.getName());
                    stalled.countDown();
                })
                .start()) {
            CountDownLatch release = new CountDownLatch(1);
            try (TaskSubmitter s = rt.executor().newSubmitter()) {
                for (int i = 0; i < 100; i++) {
                    s.execute(() -> { });
                }
                s.execute(() -> Blocker.awaitQuietly(release));
                try {
                    assertThat(stalled.await(3, TimeUnit.SECONDS)).as("stall reported").isTrue();
                    assertThat(who.get()).isEqualTo("vela-executor-0");
                } finally {
                    release.countDown();
                }
            }
        }
    }

    @Test
    void aWorkerBusyWithManyShortLaneTasksIsNotReportedAsStuck() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        try (VelaRuntime rt = VelaRuntime.builder()
                .config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                        .set(Settings.WATCHDOG_STALL_MS, 1_000L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> stalled.countDown())
                .start();
                TaskSubmitter s = rt.executor().newSubmitter()) {
            // two and a half stall periods of progress: a watchdog blind to lane progress reports within the first
            // (at about 1 s, whatever the load); a whole second rather than 100 or 300 ms so that a worker
            // descheduled on a busy machine is not a stall (300 ms was seen at a load average of 7 on 2 cores)
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
            while (System.nanoTime() - end < 0) {
                s.execute(() -> {
                    long until = System.nanoTime() + 20_000;
                    while (System.nanoTime() - until < 0) {
                        Thread.onSpinWait();
                    }
                });
            }
            assertThat(stalled.getCount()).as("no stall reported while lane tasks progress").isEqualTo(1);
        }
    }

    @Test
    void tryExecuteAllAndTryExecuteThroughASubmitterAllocateNothing() throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemorySupported()) {
            return;
        }
        try (VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_LANE_SIZE, 1024).set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.YIELDING)
                .build());
                TaskSubmitter s = rt.executor().newSubmitter()) {
            java.util.concurrent.atomic.AtomicLong ran = new java.util.concurrent.atomic.AtomicLong();
            Runnable task = ran::incrementAndGet;
            Runnable[] batch = new Runnable[64];
            java.util.Arrays.fill(batch, task);
            long id = Thread.currentThread().getId();
            long offered = 0;
            long accepted = 0;
            for (int round = 0; round < 5; round++) { // warm up, then measure the last round
                long before = sun.getThreadAllocatedBytes(id);
                for (int i = 0; i < 20_000; i++) {
                    accepted += s.tryExecuteAll(batch, 0, batch.length);
                    accepted += s.tryExecute(task) == OfferResult.ACCEPTED ? 1 : 0;
                    offered += batch.length + 1;
                }
                long bytes = sun.getThreadAllocatedBytes(id) - before;
                if (round == 4) {
                    assertThat(bytes).as("bytes allocated by 20k tryExecuteAll(64) + tryExecute calls")
                            .isLessThan(4_096);
                }
            }
            assertThat(accepted).isPositive().isLessThanOrEqualTo(offered);
            long expected = accepted;
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> ran.get() == expected);
        }
    }

    @Test
    void aStackOverflowInsideALanePublishNeitherJamsTheLaneNorHoldsUpTheClose() throws Exception {
        VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_LANE_SIZE, 1 << 14).set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING)
                .build());
        java.util.concurrent.atomic.AtomicLong ran = new java.util.concurrent.atomic.AtomicLong();
        long accepted = 0;
        long overflowed = 0;
        try {
            for (int round = 0; round < 12; round++) {
                boolean probeAfter = round < 11; // the last round abandons its claims and submits nothing more
                AtomicReference<DeepSubmitter> seen = new AtomicReference<>();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                CountDownLatch probe = new CountDownLatch(1);
                Thread t = new Thread(null, () -> {
                    try {
                        TaskSubmitter s = rt.executor().newSubmitter();
                        DeepSubmitter deep = new DeepSubmitter(s, ran::incrementAndGet, 0, 300);
                        deep.descend(0);
                        seen.set(deep);
                        if (probeAfter) {
                            s.execute(probe::countDown);
                            s.close();
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }, "deep-lane-submitter-" + round, 256 * 1024);
                t.start();
                t.join(20_000);
                assertThat(failure.get()).isNull();
                accepted += seen.get().accepted;
                overflowed += seen.get().overflowed;
                if (probeAfter) {
                    assertThat(probe.await(2, TimeUnit.SECONDS)).as("round %d: the lane still runs", round).isTrue();
                }
            }
            ShutdownReport r = rt.executor().shutdown(java.time.Duration.ofSeconds(5));
            assertThat(r.completed()).as("the close is not held up by an abandoned claim").isTrue();
            assertThat(r.took()).isLessThan(java.time.Duration.ofSeconds(3));
            assertThat(ran.get()).as("accepted %d, overflowed %d", accepted, overflowed)
                    .isBetween(accepted, accepted + overflowed);
        } finally {
            rt.close();
        }
    }

    /**
     * Threads that each make one submission whose StackOverflowError may strike after the claim was announced and
     * before the publish, and then stay alive without submitting again: the close must still drain every lane.
     */
    @Test
    void aLastClaimAbandonedByAStackOverflowDoesNotHoldUpTheClose() throws Exception {
        VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_LANE_SIZE, 16).set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING)
                .build());
        CountDownLatch end = new CountDownLatch(1);
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicLong ran = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger overflowed = new java.util.concurrent.atomic.AtomicInteger();
        try {
            for (int above = 0; above < 120; above++) {
                int a = above;
                CountDownLatch done = new CountDownLatch(1);
                Thread t = new Thread(null, () -> {
                    TaskSubmitter s = rt.executor().newSubmitter();
                    DeepSubmitter deep = new DeepSubmitter(s, ran::incrementAndGet, a, a + 1);
                    deep.descend(0);
                    accepted.addAndGet(deep.accepted);
                    overflowed.addAndGet(deep.overflowed);
                    done.countDown();
                    Blocker.awaitQuietly(end); // alive, its submitter open: its lane stays
                }, "one-deep-call-" + above, 256 * 1024);
                t.setDaemon(true);
                t.start();
                threads.add(t);
                assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            }
            ShutdownReport r = rt.executor().shutdown(java.time.Duration.ofSeconds(3));
            assertThat(r.completed()).as("the close is not held up by an abandoned claim (%d overflowed)",
                    overflowed.get()).isTrue();
            assertThat(ran.get()).isBetween((long) accepted.get(), (long) accepted.get() + overflowed.get());
        } finally {
            end.countDown();
            rt.close();
        }
    }

    @Test
    void statsCountLaneTasksRunOnTheWorkerOnTheCallerFailedAndRefused() throws Exception {
        VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2)
                .set(Settings.EXECUTOR_LANE_SIZE, 16).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.CALLER_RUNS)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.LITE_BLOCKING).build());
        try {
            RingExecutor ex = rt.executor();
            java.util.concurrent.atomic.AtomicLong ran = new java.util.concurrent.atomic.AtomicLong();
            long submitted = 0;
            int failures = 0;
            try (TaskSubmitter s = ex.newSubmitter()) {
                CountDownLatch release = new CountDownLatch(1);
                s.execute(() -> Blocker.awaitQuietly(release)); // the lane's worker is held: the lane fills
                submitted++;
                for (int i = 0; i < 100; i++) { // 15 fit, the rest run on the caller
                    s.execute(ran::incrementAndGet);
                    submitted++;
                }
                assertThat(ex.stats().completed()).as("caller-ran tasks count as completed")
                        .isGreaterThanOrEqualTo(85);
                release.countDown();
                Runnable[] batch = new Runnable[8];
                java.util.Arrays.fill(batch, (Runnable) ran::incrementAndGet);
                for (int i = 0; i < 200; i++) {
                    submitted += s.tryExecuteAll(batch, 0, batch.length);
                    s.execute(ran::incrementAndGet);
                    submitted++;
                    if (i % 20 == 0) {
                        s.execute(() -> {
                            throw new IllegalStateException("expected by the test");
                        });
                        submitted++;
                        failures++;
                    }
                }
            }
            long expectedRan = submitted - failures - 1;
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> ran.get() == expectedRan);
            assertThat(ex.shutdown(java.time.Duration.ofSeconds(5)).completed()).isTrue();
            RingStats st = ex.stats();
            assertThat(st.published()).isEqualTo(submitted);
            assertThat(st.completed()).isEqualTo(submitted);
            assertThat(st.failed()).isEqualTo(failures);
        } finally {
            rt.close();
        }
    }

    @Test
    void aClosedSubmitterMadeOnAWorkerRefusesEveryKindOfSubmission() throws Exception {
        try (VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).build())) {
            java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CompletableFuture<String> outcome = rt.executor().submit(() -> {
                TaskSubmitter s = rt.executor().newSubmitter(); // on a worker: no lane
                s.close();
                OfferResult one = s.tryExecute(ran::incrementAndGet);
                int many = s.tryExecuteAll(new Runnable[] {ran::incrementAndGet}, 0, 1);
                String exec;
                try {
                    s.execute(ran::incrementAndGet);
                    exec = "accepted";
                } catch (RingClosedException e) {
                    exec = "refused";
                }
                return one + " " + many + " " + exec;
            });
            assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("CLOSED 0 refused");
            assertThat(rt.executor().submit(ran::get).get(5, TimeUnit.SECONDS)).isZero();
        }
    }
}
