package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Review of ADR 0018 (the parked timer thread): what wakes it when many timers are legitimately pending, and what
 * must still wake it near {@code timer.max-pending}.
 */
@Timeout(20)
class TimerParkReviewTest {
    private static final Logger LOG = LoggerFactory.getLogger(TimerParkReviewTest.class);
    private VelaRuntime runtime;

    private TimerService start(VelaConfig.Builder b) {
        runtime = VelaRuntime.start(b.build());
        return (TimerService) runtime.scheduler();
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void askLikeTimeoutsDoNotWakeTheAgentWhenMoreThanHalfOfMaxPendingIsLegitimatelyPending() throws Exception {
        // 210 of 400 taken by long timers (an application's session timeouts): fewer than the 256 the agent scans, so
        // it sleeps until the watchdog's next sample; the asks' timeouts and cancels must not each wake it (ADR 0018,
        // decision 5: "Timeouts (due later) and cancels cost nothing extra")
        TimerService timers = start(VelaConfig.builder().set(Settings.TIMER_MAX_PENDING, 400));
        List<ScheduledFuture<?>> sessions = new ArrayList<>();
        for (int i = 0; i < 210; i++) {
            sessions.add(timers.schedule(() -> { }, 1, TimeUnit.HOURS));
        }
        Thread.sleep(150); // parked until the watchdog's next sample
        long unparks = timers.unparks();
        AtomicInteger ran = new AtomicInteger();
        int n = 100;
        for (int i = 0; i < n; i++) {
            ScheduledFuture<?> timeout = timers.schedule(ran::incrementAndGet, 5, TimeUnit.SECONDS);
            LockSupport.parkNanos(200_000); // the round trip
            assertThat(timeout.cancel(false)).isTrue();
            LockSupport.parkNanos(200_000);
        }
        long woken = timers.unparks() - unparks;
        LOG.info("{} ask-like timeouts with 210 of 400 timers pending: {} unparks of the timer thread", n, woken);
        assertThat(woken).as("unparks for %d ask-like timeouts", n).isLessThan(10);
        assertThat(ran).hasValue(0);
        sessions.forEach(f -> f.cancel(false));
    }

    @Test
    void cancelsAtTheLimitWakeTheAgentSoThatASchedulePasses() throws Exception {
        // every slot taken by long timers, the agent parked (watchdog off: up to a second); cancels free slots that
        // only the agent can retire, so they must wake it, else a fail-fast schedule is refused for up to a second
        TimerService timers = start(VelaConfig.builder().set(Settings.WATCHDOG_STALL_MS, 0L)
                .set(Settings.TIMER_MAX_PENDING, 64));
        List<ScheduledFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            all.add(timers.schedule(() -> { }, 1, TimeUnit.HOURS));
        }
        Thread.sleep(150); // parked
        for (int i = 0; i < 10; i++) {
            all.get(i).cancel(false);
        }
        long t0 = System.nanoTime();
        while (timers.remainingCapacity() < 10) {
            assertThat(System.nanoTime() - t0).as("slots freed within 200 ms")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
            Thread.sleep(1);
        }
        for (int i = 0; i < 10; i++) {
            timers.schedule(() -> { }, 1, TimeUnit.HOURS);
        }
    }

    @Test
    void closingAnIdleRuntimeIsPrompt() throws Exception {
        start(VelaConfig.builder()); // the timer thread parks until the watchdog's next sample (250 ms)
        Thread.sleep(300);
        long t0 = System.nanoTime();
        runtime.close();
        long took = System.nanoTime() - t0;
        LOG.info("close() of an idle runtime: {} µs", took / 1_000);
        assertThat(took).isLessThan(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(runtime.shutdownReports()).allSatisfy(r -> assertThat(r.completed()).isTrue());
    }
}
