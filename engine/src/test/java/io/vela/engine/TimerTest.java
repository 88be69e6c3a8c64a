package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimerTest {
    private VelaRuntime runtime;

    private ScheduledExecutorService scheduler(VelaConfig.Builder b) {
        runtime = VelaRuntime.start(b.set(Settings.TIMER_TICK_NS, 1L << 20).build());
        return runtime.scheduler();
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void theTimerThreadCarriesTheRuntimesThreadNamePrefix() {
        scheduler(VelaConfig.builder().set(Settings.THREAD_NAME_PREFIX, "svc"));
        // Agrona's AgentRunner names its thread after the agent's role: that was "timer", whatever the prefix
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("svc-timer")
                .doesNotContain("timer");
    }

    @Test
    void delayedTaskRunsAfterItsDelayOnTheExecutor() throws Exception {
        ScheduledExecutorService s = scheduler(VelaConfig.builder());
        long start = System.nanoTime();
        ScheduledFuture<String> f = s.schedule(() -> Thread.currentThread().getName(), 50, TimeUnit.MILLISECONDS);
        String thread = f.get(5, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(thread).startsWith("vela-executor-");
        assertThat(runtime.stats().timers().completed()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> runtime.stats().timers().remainingCapacity() == 65_536);
    }

    @Test
    void manyTimersFireInDeadlineOrder() throws Exception {
        ScheduledExecutorService s = scheduler(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1));
        List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(20);
        for (int i = 19; i >= 0; i--) {
            int n = i;
            s.schedule(() -> {
                order.add(n);
                done.countDown();
            }, 5L * n, TimeUnit.MILLISECONDS);
        }
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).isSorted().hasSize(20);
    }

    @Test
    void cancelledTimerNeverRuns() throws Exception {
        ScheduledExecutorService s = scheduler(VelaConfig.builder());
        AtomicInteger ran = new AtomicInteger();
        ScheduledFuture<?> f = s.schedule(ran::incrementAndGet, 100, TimeUnit.MILLISECONDS);
        assertThat(f.cancel(false)).isTrue();
        assertThat(f.isCancelled()).isTrue();
        CountDownLatch later = new CountDownLatch(1);
        s.schedule(later::countDown, 200, TimeUnit.MILLISECONDS);
        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(0);
        await().atMost(Duration.ofSeconds(2)).until(() -> runtime.stats().timers().remainingCapacity() == 65_536);
    }

    @Test
    void fixedRateAndFixedDelayRepeatUntilCancelled() throws Exception {
        ScheduledExecutorService s = scheduler(VelaConfig.builder());
        CountDownLatch rate = new CountDownLatch(5);
        CountDownLatch delay = new CountDownLatch(5);
        ScheduledFuture<?> a = s.scheduleAtFixedRate(rate::countDown, 0, 5, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> b = s.scheduleWithFixedDelay(delay::countDown, 0, 5, TimeUnit.MILLISECONDS);
        assertThat(rate.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(delay.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(a.cancel(false)).isTrue();
        assertThat(b.cancel(false)).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> runtime.stats().timers().remainingCapacity() == 65_536);
    }

    @Test
    void periodicTaskThatThrowsStopsAndFailsItsFuture() {
        ScheduledExecutorService s = scheduler(VelaConfig.builder());
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> f = s.scheduleAtFixedRate(() -> {
            if (runs.incrementAndGet() == 3) {
                throw new IllegalStateException("third run");
            }
        }, 0, 2, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(runs).hasValue(3);
        assertThat(runtime.stats().timers().failed()).isEqualTo(1);
    }

    @Test
    void pendingBoundFailsFastNamingTheTimer() {
        ScheduledExecutorService s = scheduler(VelaConfig.builder().set(Settings.TIMER_MAX_PENDING, 3));
        for (int i = 0; i < 3; i++) {
            s.schedule(() -> { }, 1, TimeUnit.HOURS);
        }
        assertThatThrownBy(() -> s.schedule(() -> { }, 1, TimeUnit.HOURS)).isInstanceOf(RingFullException.class)
                .hasMessageContaining("timer 'timer' (capacity 3 pending) has 3 pending timers");
        assertThat(runtime.stats().timers().rejected()).isEqualTo(1);
    }

    @Test
    void closeCancelsPendingTimersAndReportsThem() {
        ScheduledExecutorService s = scheduler(VelaConfig.builder());
        ScheduledFuture<?> f = s.schedule(() -> { }, 1, TimeUnit.HOURS);
        s.schedule(() -> { }, 2, TimeUnit.HOURS);
        await().atMost(Duration.ofSeconds(2)).until(() -> runtime.stats().timers().remainingCapacity() == 65_534);
        List<ShutdownReport> reports = runtime.shutdown(Duration.ofSeconds(5));
        assertThat(reports.get(0).name()).isEqualTo("timer");
        assertThat(reports.get(0).notRun()).isEqualTo(2);
        assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class)
                .hasStackTraceContaining("shut down before it fired"); // JDK 25 wraps it in CancellationException("get")
        assertThatThrownBy(() -> s.schedule(() -> { }, 1, TimeUnit.SECONDS)).isInstanceOf(RingClosedException.class)
                .hasMessageContaining("is shut down");
    }
}
