package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Review of the executor worker's pause behind a streaming submitter (ADR 0017): a task that submits its own
 * continuation (one task in flight) is not a stream.
 */
@Timeout(30)
class WorkerPauseReviewTest {
    private static final int HOPS = 5_000;

    /**
     * Each task submits the next from its worker (a chain: one task in flight). The worker finds it at its first look
     * (submitted during the batch), which the streaming test read as a stream: it paused 200 ns after every other
     * task (measured 163-180 ns per hop against 41-65 without the pause). It may pause at most a few times.
     */
    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"YIELDING", "LITE_BLOCKING"})
    void aTaskChainingItsContinuationDoesNotMakeItsWorkerPause(WaitStrategy wait) throws Exception {
        VelaRuntime rt = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, wait).build()).start();
        RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
        CountDownLatch done = new CountDownLatch(1);
        int[] hop = {0};
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            if (++hop[0] < HOPS) {
                ex.execute(step[0]);
            } else {
                done.countDown();
            }
        };
        ex.execute(step[0]);
        assertThat(done.await(20, TimeUnit.SECONDS)).as("chain of %d hops done", HOPS).isTrue();
        assertThat(rt.shutdown(Duration.ofSeconds(5))).allMatch(io.vela.engine.ShutdownReport::completed); // joins the worker
        assertThat(ex.pauses()).as("pauses in a chain of %d tasks, one in flight", HOPS).isLessThanOrEqualTo(2);
    }

    /**
     * The other side: a thread streaming tasks to a worker that keeps up still makes it pause (the rule is not
     * switched off); every task runs. A fresh runtime up to 5 times, in case a busy machine kept the worker off its
     * core for the whole stream.
     */
    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"YIELDING", "BUSY_SPIN"})
    void aStreamingSubmitterStillMakesItsWorkerPause(WaitStrategy wait) throws Exception {
        long pauses = 0;
        for (int attempt = 0; attempt < 5 && pauses == 0; attempt++) {
            VelaRuntime rt = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                    .set(Settings.EXECUTOR_WAIT_STRATEGY, wait).build()).start();
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            int tasks = 100_000;
            java.util.concurrent.atomic.AtomicLong ran = new java.util.concurrent.atomic.AtomicLong();
            for (int i = 0; i < tasks; i++) {
                ex.execute(ran::incrementAndGet);
            }
            assertThat(rt.shutdown(Duration.ofSeconds(5))).allMatch(io.vela.engine.ShutdownReport::completed);
            assertThat(ran.get()).isEqualTo(tasks);
            pauses = ex.pauses();
        }
        assertThat(pauses).as("pauses behind a streaming submitter").isPositive();
    }
}
