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
 * Review of the watchdog's stamp read (ADR 0006, "Edge cases"): a worker that is idle — parked, waiting for the
 * signal the lane's owner gives after its cursor store — must not be reported stuck because the owner, stopped
 * between its stamp and its cursor store, left a stamped slot the worker has not started. The watchdog reports
 * workers stuck in a task; here no task runs (white-box: the owner's steps one at a time, no cursor store, no signal).
 */
@Timeout(30)
class WatchdogIdleWorkerReviewTest {
    @Test
    void doesNotReportAnIdleWorkerWhenAStoppedOwnerLeftAStampedSlotItHasNotStarted() throws Exception {
        LinkedBlockingQueue<Thread> stalls = new LinkedBlockingQueue<>();
        try (VelaRuntime rt = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_LANE_SIZE, 16).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING) // parks until signalled
                .set(Settings.WATCHDOG_STALL_MS, 100L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> stalls.add(worker)).start()) {
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            TaskSubmitter s = ex.newSubmitter();
            SubmitterLane lane = ex.lanes()[0];
            CountDownLatch ran = new CountDownLatch(1);
            try {
                Thread.sleep(50); // the worker goes idle (parked)
                long seq = LaneSteps.claimAndFill(lane, ran::countDown); // the owner "stops" before its cursor store
                Thread stall = stalls.poll(800, TimeUnit.MILLISECONDS);
                if (ran.getCount() == 0) {
                    return; // the worker found the slot on its own: not the case under review (nothing to judge)
                }
                assertThat(stall).as("an idle worker reported stuck (it runs no task)").isNull();
                lane.ring.publish(seq); // the owner resumes: cursor store and signal
                assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            } finally {
                if (lane.ring.getCursor() < lane.lastClaimed.get()) {
                    lane.ring.publish(lane.lastClaimed.get());
                }
                s.close();
            }
        }
    }
}
