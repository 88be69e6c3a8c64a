package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WatchdogTest {

    @Test
    void reportsWorkerStuckOnOneTask() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        AtomicReference<String> who = new AtomicReference<>();
        AtomicReference<Duration> howLong = new AtomicReference<>();
        try (VelaRuntime rt = VelaRuntime.builder()
                .config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                        .set(Settings.WATCHDOG_STALL_MS, 50L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> {
                    who.set(ring + "/" + worker.getName());
                    howLong.set(stuck);
                    stalled.countDown();
                })
                .start()) {
            CountDownLatch release = new CountDownLatch(1);
            // quick tasks first: no stall reported for them
            for (int i = 0; i < 1000; i++) {
                rt.executor().execute(() -> { });
            }
            rt.executor().execute(() -> Blocker.awaitQuietly(release));
            assertThat(stalled.await(5, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            assertThat(who.get()).isEqualTo("executor/vela-executor-0");
            assertThat(howLong.get()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        }
    }

    @Test
    void quietDuringGracePeriod() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        try (VelaRuntime rt = VelaRuntime.builder()
                .config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                        .set(Settings.WATCHDOG_STALL_MS, 20L).set(Settings.WATCHDOG_GRACE_MS, 60_000L).build())
                .stallListener((ring, worker, stuck) -> stalled.countDown())
                .start()) {
            CountDownLatch release = new CountDownLatch(1);
            rt.executor().execute(() -> Blocker.awaitQuietly(release));
            assertThat(stalled.await(300, TimeUnit.MILLISECONDS)).isFalse();
            release.countDown();
        }
    }
}
