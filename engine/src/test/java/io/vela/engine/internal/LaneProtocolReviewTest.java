package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.Settings;
import io.vela.engine.TaskSubmitter;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * White-box tests of the lane close protocol (ADR 0015): interleavings too narrow to hit from the public API, set up
 * by doing a publisher's steps one at a time on the lane itself (its ring is single-producer but does not check which
 * thread publishes).
 */
class LaneProtocolReviewTest {

    private static VelaRuntime runtime(WaitStrategy wait) {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_LANE_SIZE, 16).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, wait).build());
    }

    /** A test body given an executor of one worker, a submitter of the test thread, and its lane. */
    private interface LaneBody {
        void run(RingExecutorImpl ex, TaskSubmitter s, SubmitterLane lane) throws Exception;
    }

    private static void withLane(WaitStrategy wait, LaneBody body) throws Exception {
        VelaRuntime rt = runtime(wait);
        try {
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            TaskSubmitter s = ex.newSubmitter();
            body.run(ex, s, ex.lanes()[0]);
            s.close();
        } finally {
            rt.close();
        }
    }

    /** A publisher's first half: claim and announce the claim (the close protocol's store); not yet published. */
    private static long claimAndAnnounce(SubmitterLane lane) {
        long seq = lane.ring.next();
        lane.lastClaimed.setVolatile(seq);
        return seq;
    }

    /** The second half, for a publisher that read {@code closed} as false: fill the slot live and publish it. */
    private static void publishLive(SubmitterLane lane, long seq, Runnable task) {
        TaskSlot slot = lane.ring.get(seq);
        slot.task = task;
        slot.callable = null;
        slot.future = null;
        slot.owner = TaskSlot.ANY_WORKER;
        slot.stamp = seq;
        lane.ring.publish(seq);
    }

    /**
     * The owner announced its claim and read the executor open, then was preempted before its publish; the executor
     * closes meanwhile. The drain must wait for that publish and run the task (the owner's call returns normally:
     * accepted), and the close must not end before it.
     */
    @Test
    void aPublishLandingAfterTheCloseBeganIsRunByTheDrain() throws Exception {
        withLane(WaitStrategy.LITE_BLOCKING, (ex, s, lane) -> {
            long seq = claimAndAnnounce(lane);
            java.util.concurrent.CompletableFuture<io.vela.engine.ShutdownReport> report =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> ex.shutdown(Duration.ofSeconds(5)));
            Thread.sleep(50); // the drain has read the lane and waits for the announced slot
            assertThat(report).isNotDone();
            AtomicInteger ran = new AtomicInteger();
            publishLive(lane, seq, ran::incrementAndGet);
            io.vela.engine.ShutdownReport r = report.get(5, TimeUnit.SECONDS);
            assertThat(r.completed()).isTrue();
            assertThat(ran).hasValue(1);
        });
    }

    /**
     * As above, with {@code shutdownNow}: the worker is halted, so the sweep must wait for the announced slot and
     * return it (it was accepted), not skip it and not let it run.
     */
    @Test
    void aPublishLandingAfterShutdownNowBeganIsReturnedByTheSweep() throws Exception {
        withLane(WaitStrategy.BLOCKING, (ex, s, lane) -> {
            long seq = claimAndAnnounce(lane);
            java.util.concurrent.CompletableFuture<List<Runnable>> left =
                    java.util.concurrent.CompletableFuture.supplyAsync(ex::shutdownNow);
            Thread.sleep(50);
            AtomicInteger ran = new AtomicInteger();
            publishLive(lane, seq, ran::incrementAndGet);
            List<Runnable> taken = left.get(5, TimeUnit.SECONDS);
            assertThat(ex.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).as("a halted worker runs nothing").hasValue(0);
            assertThat(taken).hasSize(1);
            taken.forEach(Runnable::run);
            assertThat(ran).hasValue(1);
        });
    }

    /**
     * The owner failed with an Error after announcing its claim, before publishing: neither the drain nor the sweep
     * may wait for that slot for good.
     */
    @Test
    void aClaimAbandonedAfterItsAnnouncementDoesNotHoldUpTheClose() throws Exception {
        withLane(WaitStrategy.BLOCKING, (ex, s, lane) -> {
            AtomicInteger ran = new AtomicInteger();
            s.execute(ran::incrementAndGet);
            lane.abandoned = claimAndAnnounce(lane); // what LaneSubmitter's catch block records
            io.vela.engine.ShutdownReport r = ex.shutdown(Duration.ofSeconds(5));
            assertThat(r.completed()).isTrue();
            assertThat(r.took()).isLessThan(Duration.ofSeconds(2));
            assertThat(ran).hasValue(1);
        });
    }

    /**
     * A publisher that failed with an Error between its claim and its fill leaves a slot with a stale stamp; the
     * next publish exposes it. Neither the worker, nor a drain, nor the sweep may run what the slot held before
     * (the task of the lane's previous lap).
     */
    @Test
    void anAbandonedLaneSlotIsSkippedByTheWorkerAndTheSweep() throws Exception {
        withLane(WaitStrategy.BLOCKING, (ex, s, lane) -> {
            AtomicInteger firstLap = new AtomicInteger();
            for (int i = 0; i < 16; i++) { // one lap: every slot holds a task that ran
                s.execute(firstLap::incrementAndGet);
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lane.consumed.get() == 15);
            // slot 16 claimed by a publisher that failed before filling it; its catch block records the slot
            lane.abandoned = lane.ring.next();
            AtomicInteger ran = new AtomicInteger();
            s.execute(ran::incrementAndGet); // slot 17: its publish exposes slot 16
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lane.consumed.get() == 17);
            assertThat(ran).hasValue(1);
            assertThat(firstLap).as("the stale task of slot 0 did not run again").hasValue(16);

            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            s.execute(() -> {
                started.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            lane.abandoned = lane.ring.next(); // slot 19 abandoned behind the blocked worker
            s.execute(ran::incrementAndGet); // slot 20
            List<Runnable> left = ex.shutdownNow();
            release.countDown();
            assertThat(left).as("the sweep takes slot 20, not the abandoned slot 19").hasSize(1);
            left.forEach(Runnable::run);
            assertThat(ran).hasValue(2);
            assertThat(firstLap).hasValue(16);
            assertThat(ex.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        });
    }

    /**
     * A submission that races {@code shutdown()} (no deadline) while the lane's worker is stuck in an earlier task
     * must still return (accepted or refused) at once, as the executor's own {@code execute} does, instead of
     * waiting — uninterruptibly — for a drain that may never come. The owner is held between its publish and the
     * rest of its call by holding the blocking wait strategy's monitor (its publish signals it), while the closer
     * sets {@code closed} and blocks on the same monitor in its alert.
     */
    @Test
    void aSubmissionRacingShutdownReturnsWhileTheLanesWorkerIsStuck() throws Exception {
        VelaRuntime rt = runtime(WaitStrategy.BLOCKING);
        RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
        Object mutex = monitorOf(ex);
        CountDownLatch stuckStarted = new CountDownLatch(1);
        CountDownLatch unstick = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        java.util.concurrent.CompletableFuture<String> outcome = new java.util.concurrent.CompletableFuture<>();
        Thread owner = new Thread(() -> {
            try (TaskSubmitter s = ex.newSubmitter()) {
                s.execute(() -> {
                    stuckStarted.countDown();
                    awaitQuietly(unstick);
                });
                awaitQuietly(go);
                try {
                    s.execute(ran::incrementAndGet);
                    outcome.complete("accepted");
                } catch (io.vela.engine.RingClosedException e) {
                    outcome.complete("refused");
                }
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        }, "lane-owner");
        Thread closer = new Thread(ex::shutdown, "closer");
        try {
            owner.start();
            assertThat(stuckStarted.await(5, TimeUnit.SECONDS)).isTrue();
            synchronized (mutex) {
                go.countDown();
                awaitState(owner, Thread.State.BLOCKED); // published; now inside the strategy's signal
                closer.start();
                awaitState(closer, Thread.State.BLOCKED); // closed is set; now inside the alert's signal
                assertThat(ex.isShutdown()).isTrue();
            }
            String result = outcome.get(3, TimeUnit.SECONDS); // fails (times out) if the owner waits for the drain
            unstick.countDown();
            assertThat(ex.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).as("outcome %s", result).hasValue(result.equals("accepted") ? 1 : 0);
        } finally {
            unstick.countDown();
            owner.join(5_000);
            closer.join(5_000);
            rt.close();
        }
    }

    private static Object monitorOf(RingExecutorImpl ex) throws ReflectiveOperationException {
        java.lang.reflect.Field wait = RingExecutorImpl.class.getDeclaredField("ringWait");
        wait.setAccessible(true);
        Object strategy = wait.get(ex);
        java.lang.reflect.Field mutex = strategy.getClass().getDeclaredField("mutex");
        mutex.setAccessible(true);
        return mutex.get(strategy);
    }

    private static void awaitState(Thread t, Thread.State state) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                .until(() -> t.getState() == state);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
