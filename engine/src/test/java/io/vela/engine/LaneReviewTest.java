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
                        .set(Settings.WATCHDOG_STALL_MS, 100L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> stalled.countDown())
                .start();
                TaskSubmitter s = rt.executor().newSubmitter()) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
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
}
