package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.Settings;
import io.vela.engine.TaskSubmitter;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Lane bookkeeping of {@link RingExecutorImpl}: assignment to workers and retirement (ADR 0015). */
class SubmitterLaneTest {

    private static VelaRuntime runtime(int workers) {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, workers)
                .set(Settings.EXECUTOR_LANE_SIZE, 16).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING).build());
    }

    @Test
    void lanesGoToTheWorkerWithFewestAndClosedOnesAreRetiredOnceDrained() throws Exception {
        try (VelaRuntime rt = runtime(2)) {
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            TaskSubmitter a = ex.newSubmitter();
            TaskSubmitter b = ex.newSubmitter();
            assertThat(ex.workers()[0].lanes.size()).isEqualTo(1);
            assertThat(ex.workers()[1].lanes.size()).isEqualTo(1);
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 100; i++) {
                a.execute(ran::incrementAndGet);
            }
            a.close();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ex.lanes().length == 1);
            assertThat(ran).hasValue(100);
            assertThat(ex.lanes()[0].owner).isSameAs(Thread.currentThread());
            assertThat(ex.published()).isEqualTo(100);
            b.close();
        }
    }

    @Test
    void theLaneOfAThreadThatEndedIsReleasedByTheNextNewSubmitter() throws Exception {
        try (VelaRuntime rt = runtime(1)) {
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            AtomicInteger ran = new AtomicInteger();
            Thread t = new Thread(() -> {
                TaskSubmitter s = ex.newSubmitter(); // never closed
                for (int i = 0; i < 50; i++) {
                    s.execute(ran::incrementAndGet);
                }
            });
            t.start();
            t.join(5_000);
            assertThat(ex.lanes()).hasSize(1);
            Thread me = Thread.currentThread();
            try (TaskSubmitter mine = ex.newSubmitter()) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ex.lanes().length == 1
                        && ex.lanes()[0].owner == me);
                assertThat(ran).hasValue(50);
                assertThat(mine.submit(() -> "still works").get()).isEqualTo("still works");
            }
        }
    }
}
