package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.Settings;
import io.vela.engine.TaskSubmitter;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The watchdog must see a worker stuck in a lane task it started on the slot's stamp (ADR 0017) while the lane's
 * owner was stopped before its cursor store: the lane's cursor then says "nothing queued", yet the worker has been on
 * one task for longer than the threshold. White-box: the owner's steps are done one at a time on the lane, the cursor
 * store left out (the owner "stopped" before it).
 */
@Timeout(30)
class WatchdogStampedTaskTest {

    private static VelaRuntime runtime(LinkedBlockingQueue<Thread> stalls) {
        return VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_LANE_SIZE, 16).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.SLEEPING) // polls stamps without a signal
                .set(Settings.WATCHDOG_STALL_MS, 100L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> stalls.add(worker)).start();
    }

    /** Does the owner's steps for a slot, the cursor store only if asked (else the owner "stopped" before it). */
    private static void publishStopped(SubmitterLane lane, Runnable task, boolean cursorStore) {
        long seq = LaneSteps.claimAndFill(lane, task);
        if (cursorStore) {
            lane.ring.publish(seq);
        }
    }

    private static void stuckLaneTaskIsReported(boolean cursorStore) throws Exception {
        LinkedBlockingQueue<Thread> stalls = new LinkedBlockingQueue<>();
        CountDownLatch release = new CountDownLatch(1);
        try (VelaRuntime rt = runtime(stalls)) {
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            TaskSubmitter s = ex.newSubmitter();
            SubmitterLane lane = ex.lanes()[0];
            try {
                CountDownLatch started = new CountDownLatch(1);
                publishStopped(lane, () -> {
                    started.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, cursorStore);
                assertThat(started.await(5, TimeUnit.SECONDS)).as("the worker ran the slot on its stamp").isTrue();
                Thread stuck = stalls.poll(5, TimeUnit.SECONDS);
                assertThat(stuck).as("the watchdog reported the worker stuck in the lane task")
                        .isEqualTo(lane.worker.thread);
            } finally {
                release.countDown();
                if (lane.ring.getCursor() < lane.lastClaimed.get()) {
                    lane.ring.publish(lane.lastClaimed.get()); // the owner resumes
                }
                s.close();
            }
        }
    }

    @Test
    void reportsAWorkerStuckInALaneTaskWhoseCursorStoreCame() throws Exception {
        stuckLaneTaskIsReported(true);
    }

    @Test
    void reportsAWorkerStuckInALaneTaskStartedOnItsStampBeforeTheOwnersCursorStore() throws Exception {
        stuckLaneTaskIsReported(false);
    }
}
