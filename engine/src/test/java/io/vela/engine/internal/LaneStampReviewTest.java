package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
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
import org.junit.jupiter.api.Timeout;

/**
 * Review of the lane worker's stamp polling (ADR 0017): a slot may run on its stamp before its owner's cursor
 * publish lands, so the lane's consumed sequence may pass its cursor. White-box: a publisher's steps are done one at
 * a time on the lane itself.
 */
class LaneStampReviewTest {

    private static VelaRuntime runtime(WaitStrategy wait) {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_LANE_SIZE, 16).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, wait).build());
    }

    /** A test body given an executor of one worker (yielding) that is busy in a task of {@code lane}. */
    private interface BusyLaneBody {
        void run(RingExecutorImpl ex, SubmitterLane lane) throws Exception;
    }

    /** Runs {@code body} with a submitter of the test thread whose first task holds the worker until a halt. */
    private static void withBusyLane(BusyLaneBody body) throws Exception {
        try (VelaRuntime rt = runtime(WaitStrategy.YIELDING)) {
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            TaskSubmitter s = ex.newSubmitter();
            CountDownLatch started = new CountDownLatch(1);
            s.execute(untilInterrupted(started));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            body.run(ex, ex.lanes()[0]);
        }
    }

    /** @return a task that counts {@code started} down, then blocks until its thread is interrupted (a halt) */
    private static Runnable untilInterrupted(CountDownLatch started) {
        return () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /**
     * The owner is struck by an {@code Error} between its stamp store and its cursor publish (a
     * {@code StackOverflowError} at the {@code publish} call; its catch records the slot as abandoned), then closes
     * its submitter. The worker ran the slot on its stamp, so its consumed sequence is one past the cursor, which
     * never moves again: the released lane must still be retired (and its worker go back to waiting), not kept
     * forever with the worker seeing "work" on it at every look.
     */
    @Test
    @Timeout(20)
    void aLaneReleasedWithItsLastSlotRunOnItsStampButNeverPublishedIsRetired() throws Exception {
        try (VelaRuntime rt = runtime(WaitStrategy.YIELDING)) { // spins: sees the stamp with no signal (publish signals)
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            TaskSubmitter s = ex.newSubmitter();
            SubmitterLane lane = ex.lanes()[0];
            CountDownLatch before = new CountDownLatch(1);
            s.execute(before::countDown);
            assertThat(before.await(5, TimeUnit.SECONDS)).isTrue();
            AtomicInteger ran = new AtomicInteger();
            long seq = LaneSteps.claimAndFill(lane, ran::incrementAndGet);
            lane.abandoned = seq; // the owner's catch: the Error struck after the stamp, before the publish
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lane.consumed.get() == seq);
            assertThat(lane.ring.getCursor()).isEqualTo(seq - 1);
            s.close();
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> ex.lanes().length == 0);
            assertThat(ran).as("run once, on its stamp").hasValue(1);
            assertThat(lane.worker.lanes.size()).isZero();
        }
    }

    /**
     * The owner filled and stamped a slot but was stopped before its cursor publish; the worker, busy in an earlier
     * task, never started it; {@code shutdownNow} then halts and sweeps. The sweep must take the slot (it is filled,
     * and the owner, resuming, keeps its call accepted): before, it counted it unknown and returned nothing, so the
     * resumed owner's accepted task never ran.
     */
    @Test
    @Timeout(20)
    void aFilledSlotPastTheCursorThatNoWorkerStartedIsReturnedByShutdownNow() throws Exception {
        withBusyLane((ex, lane) -> {
            AtomicInteger ran = new AtomicInteger();
            long seq = LaneSteps.claimAndFill(lane, ran::incrementAndGet);
            List<Runnable> returned = ex.shutdownNow();
            assertThat(ran).as("the halted worker did not run it").hasValue(0);
            lane.ring.publish(seq); // the owner resumes
            assertThat(lane.withdrawnFrom(seq, seq)).as("the owner's call stays accepted").isEqualTo(seq + 1);
            assertThat(returned).as("shutdownNow returns the filled slot").hasSize(1);
            returned.forEach(Runnable::run);
            assertThat(ran).hasValue(1);
            assertThat(ex.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        });
    }

    /**
     * A slot the worker ran on its stamp before the close, whose owner had not published the cursor yet when a
     * shutdown's deadline passed: the report must not count it as not run (it ran), and the owner, resuming, must not
     * be refused (its task ran).
     */
    @Test
    @Timeout(20)
    void aSlotRunOnItsStampIsNotCountedAsNotRunNorWithdrawn() throws Exception {
        try (VelaRuntime rt = runtime(WaitStrategy.YIELDING)) {
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            TaskSubmitter s = ex.newSubmitter();
            SubmitterLane lane = ex.lanes()[0];
            AtomicInteger ran = new AtomicInteger();
            long seq = LaneSteps.claimAndFill(lane, ran::incrementAndGet);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lane.consumed.get() == seq);
            CountDownLatch started = new CountDownLatch(1);
            ex.execute(untilInterrupted(started)); // holds the worker through the deadline: the shutdown sweeps
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            ShutdownReport report = ex.shutdown(Duration.ofMillis(100));
            lane.ring.publish(seq); // the owner resumes
            assertThat(lane.withdrawnFrom(seq, seq)).as("not withdrawn: it ran").isEqualTo(seq + 1);
            assertThat(report.completed()).isFalse();
            assertThat(report.notRun()).as("%s: the lane's slot ran", report).isZero();
            assertThat(ran).hasValue(1);
        }
    }

    /**
     * A batch stopped part-way through its stamps when {@code shutdownNow} sweeps: the sweep takes the filled
     * prefix and gives up on the rest, and the resumed owner withdraws exactly that rest (so {@code tryExecuteAll}
     * reports the prefix as accepted): every task of the batch is either returned once or refused.
     */
    @Test
    @Timeout(20)
    void aBatchStoppedPartWayThroughItsStampsSplitsIntoATakenPrefixAndAWithdrawnRest() throws Exception {
        withBusyLane((ex, lane) -> {
            long hi = lane.ring.next(4);
            lane.lastClaimed.setVolatile(hi);
            long lo = hi - 3;
            AtomicInteger ran = new AtomicInteger();
            for (long seq = lo; seq < lo + 2; seq++) { // stopped after the second stamp
                TaskSlot slot = lane.ring.get(seq);
                slot.task = ran::incrementAndGet;
                slot.callable = null;
                slot.future = null;
                slot.owner = TaskSlot.ANY_WORKER;
                slot.stamp(seq);
            }
            List<Runnable> returned = ex.shutdownNow();
            assertThat(returned).as("the filled prefix").hasSize(2);
            assertThat(lane.withdrawnFrom(lo, hi)).as("the rest is withdrawn").isEqualTo(lo + 2);
            returned.forEach(Runnable::run);
            assertThat(ran).hasValue(2);
        });
    }
}
