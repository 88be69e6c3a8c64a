package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingExecutor;
import io.vela.engine.Settings;
import io.vela.engine.TaskSubmitter;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A lane's worker polls slot stamps rather than the lane's cursor, and a worker pauses after catching up with a
 * streaming submitter (issue #12, ADR 0015 "Figures"): what that must not change.
 */
class LaneStampTest {

    private static VelaRuntime runtime(WaitStrategy wait, int laneSize) {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_LANE_SIZE, laneSize).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, wait).build());
    }

    /** A test body given the executor, a submitter of the test thread, and its lane. */
    private interface LaneBody {
        void run(TaskSubmitter s, SubmitterLane lane) throws Exception;
    }

    private static void withLane(WaitStrategy wait, LaneBody body) throws Exception {
        try (VelaRuntime rt = runtime(wait, 16)) {
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            try (TaskSubmitter s = ex.newSubmitter()) {
                body.run(s, ex.lanes()[0]);
            }
        }
    }

    @Test
    @Timeout(20)
    void aFilledSlotRunsOnceWhetherOrNotItsCursorPublishHasLanded() throws Exception {
        withLane(WaitStrategy.YIELDING, (s, lane) -> {
            AtomicInteger early = new AtomicInteger();
            long seq = lane.ring.next();
            LaneSteps.fill(lane, seq, early::incrementAndGet, true);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> early.get() == 1);
            assertThat(lane.ring.getCursor()).as("ran on its stamp, before the cursor moved").isLessThan(seq);
            lane.ring.publish(seq);
            AtomicInteger later = new AtomicInteger();
            for (int i = 0; i < 40; i++) { // more than two laps of the lane
                s.execute(later::incrementAndGet);
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> later.get() == 40);
            assertThat(early).as("not run again when its publish landed, nor a lap later").hasValue(1);
            assertThat(lane.consumed.get()).isEqualTo(lane.ring.getCursor());
        });
    }

    @Test
    @Timeout(20)
    void aSlotPublishedAsCancelledIsSkippedAndTheLaneGoesOn() throws Exception {
        withLane(WaitStrategy.BLOCKING, (s, lane) -> {
            AtomicInteger cancelled = new AtomicInteger();
            long seq = lane.ring.next();
            LaneSteps.fill(lane, seq, cancelled::incrementAndGet, false);
            lane.ring.publish(seq);
            CountDownLatch after = new CountDownLatch(1);
            s.execute(after::countDown);
            assertThat(after.await(5, TimeUnit.SECONDS)).as("the task behind the cancelled slot ran").isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lane.consumed.get() == seq + 1);
            assertThat(cancelled).as("a cancelled slot never runs").hasValue(0);
        });
    }

    /**
     * Streams of tasks (which make the worker pause after catching up) alternate with round trips (which must not),
     * through a submitter and through the executor at once, from two threads: every task runs exactly once, a
     * submitter's tasks in its order, and every round trip completes.
     */
    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"YIELDING", "LITE_BLOCKING", "BUSY_SPIN"})
    @Timeout(30)
    void streamsAndRoundTripsLoseNothing(WaitStrategy wait) throws Exception {
        try (VelaRuntime rt = runtime(wait, 256)) {
            RingExecutor ex = rt.executor();
            int rounds = 200;
            int stream = 500;
            AtomicLong viaLane = new AtomicLong();
            AtomicLong viaRing = new AtomicLong();
            AtomicReference<String> order = new AtomicReference<>();
            List<Throwable> errors = new ArrayList<>();
            Thread other = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < stream; i++) {
                            ex.execute(viaRing::incrementAndGet);
                        }
                        CountDownLatch trip = new CountDownLatch(1);
                        ex.execute(trip::countDown);
                        if (!trip.await(5, TimeUnit.SECONDS)) {
                            throw new AssertionError("round trip " + r + " through the executor did not complete");
                        }
                    }
                } catch (Throwable t) {
                    synchronized (errors) {
                        errors.add(t);
                    }
                }
            }, "lane-stamp-test-ring");
            other.start();
            long[] next = {0};
            try (TaskSubmitter s = ex.newSubmitter()) {
                long expected = 0;
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < stream; i++) {
                        long mine = expected++;
                        s.execute(() -> {
                            if (next[0]++ != mine && order.get() == null) { // one worker: its thread only
                                order.set("task " + mine + " ran out of order");
                            }
                            viaLane.incrementAndGet();
                        });
                    }
                    CountDownLatch trip = new CountDownLatch(1);
                    s.execute(() -> {
                        next[0]++;
                        trip.countDown();
                    });
                    expected++;
                    assertThat(trip.await(5, TimeUnit.SECONDS)).as("round trip %d through the submitter", r).isTrue();
                }
            }
            other.join(20_000);
            assertThat(other.isAlive()).isFalse();
            assertThat(errors).isEmpty();
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> viaLane.get() == (long) rounds * stream && viaRing.get() == (long) rounds * stream);
            assertThat(order.get()).isNull();
            Thread.sleep(50); // nothing runs twice: the counts stay put
            assertThat(viaLane.get()).isEqualTo((long) rounds * stream);
            assertThat(viaRing.get()).isEqualTo((long) rounds * stream);
        }
    }
}
