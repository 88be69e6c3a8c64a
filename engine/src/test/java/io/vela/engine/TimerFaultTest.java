package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults that reach the timer: a full executor, user code on the timer thread (the stall listener), periodic runs
 * racing a close, cancels racing expiry. Every timer is accounted for: ran once, or its future was cancelled or
 * failed, and {@code close()} keeps its deadline.
 */
class TimerFaultTest {
    private VelaRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.shutdown(Duration.ofSeconds(2));
        }
    }

    private static VelaConfig.Builder config() {
        return VelaConfig.builder().set(Settings.TIMER_TICK_NS, 1L << 20);
    }

    @ParameterizedTest
    @EnumSource(value = OverflowPolicy.class, names = {"BLOCK", "CALLER_RUNS", "BLOCK_TIMEOUT"})
    void timersFiringIntoAFullExecutorNeitherBlockNorRunOnTheTimerThread(OverflowPolicy policy) throws Exception {
        CountDownLatch stallSeen = new CountDownLatch(1);
        runtime = VelaRuntime.builder().config(config().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 4).set(Settings.EXECUTOR_OVERFLOW, policy)
                .set(Settings.EXECUTOR_BLOCK_TIMEOUT_MS, 10L)
                .set(Settings.WATCHDOG_STALL_MS, 100L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> stallSeen.countDown()).start();
        ScheduledExecutorService s = runtime.scheduler();
        CountDownLatch release = Blocker.occupyWorker(runtime.executor());
        int timers = 40; // ten times what the ring holds
        AtomicIntegerArray runs = new AtomicIntegerArray(timers);
        List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
        List<ScheduledFuture<?>> futures = new ArrayList<>();
        for (int i = 0; i < timers; i++) {
            int n = i;
            futures.add(s.schedule(() -> {
                runs.incrementAndGet(n);
                threads.add(Thread.currentThread().getName());
            }, 1, TimeUnit.MILLISECONDS));
        }
        // the watchdog shares the timer thread: it reports the stuck worker only if that thread is not blocked
        assertThat(stallSeen.await(5, TimeUnit.SECONDS)).as("watchdog still running while the ring is full")
                .isTrue();
        release.countDown();
        for (ScheduledFuture<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < timers; i++) {
            assertThat(runs.get(i)).as("runs of timer " + i).isEqualTo(1);
        }
        assertThat(threads).allMatch(t -> t.startsWith("vela-executor-"), "ran on an executor worker");
        await().atMost(Duration.ofSeconds(2)).until(() -> runtime.stats().timers().remainingCapacity()
                == runtime.stats().timers().capacity());
    }

    @Test
    @Timeout(20)
    void closeKeepsItsDeadlineWhenUserCodeHoldsTheTimerThread() throws Exception {
        CountDownLatch inListener = new CountDownLatch(1);
        AtomicBoolean letGo = new AtomicBoolean();
        runtime = VelaRuntime.builder().config(config().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.WATCHDOG_STALL_MS, 20L).set(Settings.WATCHDOG_GRACE_MS, 0L)
                .set(Settings.SHUTDOWN_DEADLINE_MS, 400L).build())
                .stallListener((ring, worker, stuck) -> {
                    inListener.countDown();
                    while (!letGo.get()) { // ignores interrupts: the worst a listener can do
                        Thread.onSpinWait();
                    }
                }).start();
        CountDownLatch release = Blocker.occupyWorker(runtime.executor());
        ScheduledFuture<?> pending = runtime.scheduler().schedule(() -> { }, 1, TimeUnit.HOURS);
        assertThat(inListener.await(5, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        long t0 = System.nanoTime();
        runtime.close();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        letGo.set(true);
        assertThat(tookMs).as("close() within its 400 ms deadline").isLessThan(400 + 500);
        ShutdownReport timer = runtime.shutdownReports().get(0);
        assertThat(timer.name()).isEqualTo("timer");
        assertThat(timer.completed()).isFalse();
        assertThat(timer.notRun()).isEqualTo(1);
        // once the listener lets go, the timer thread finishes its close and cancels what was pending
        assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    }

    @Test
    void aPeriodicRunThatEndsAfterCloseCompletesItsFuture() throws Exception {
        runtime = VelaRuntime.start(config().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.SHUTDOWN_DEADLINE_MS, 5_000L).build());
        CountDownLatch inSecondRun = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> f = runtime.scheduler().scheduleAtFixedRate(() -> {
            if (runs.incrementAndGet() == 2) {
                inSecondRun.countDown();
                Blocker.awaitQuietly(finish);
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        assertThat(inSecondRun.await(5, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(runtime::close);
        closer.start();
        await().atMost(Duration.ofSeconds(2)).until(() -> runtime.scheduler().isShutdown());
        finish.countDown(); // the run ends after the timer has stopped: it must not re-queue itself into nothing
        closer.join(10_000);
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(runs).hasValue(2);
    }

    @Test
    void shutdownRunsDelayedTasksCancelsPeriodicOnesAndAwaitTerminationWaits() throws Exception {
        runtime = VelaRuntime.start(config().build());
        ScheduledExecutorService s = runtime.scheduler();
        AtomicInteger delayedRuns = new AtomicInteger();
        ScheduledFuture<?> delayed = s.schedule(delayedRuns::incrementAndGet, 150, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> periodic = s.scheduleWithFixedDelay(() -> { }, 0, 5, TimeUnit.MILLISECONDS);
        s.shutdown();
        assertThat(s.isShutdown()).isTrue();
        assertThatThrownBy(() -> s.schedule(() -> { }, 1, TimeUnit.MILLISECONDS))
                .isInstanceOf(RingClosedException.class);
        assertThat(s.isTerminated()).isFalse();
        assertThat(s.awaitTermination(5, TimeUnit.SECONDS)).as("terminates once the delayed task has fired")
                .isTrue();
        delayed.get(1, TimeUnit.SECONDS);
        assertThat(delayedRuns).hasValue(1);
        assertThatThrownBy(() -> periodic.get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(s.isTerminated()).isTrue();
    }

    @Test
    void shutdownNowReturnsThePendingTasks() throws Exception {
        runtime = VelaRuntime.start(config().build());
        ScheduledExecutorService s = runtime.scheduler();
        ScheduledFuture<?> a = s.schedule(() -> { }, 1, TimeUnit.HOURS);
        ScheduledFuture<?> b = s.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
        await().atMost(Duration.ofSeconds(2)).until(() -> runtime.stats().timers().remainingCapacity()
                == runtime.stats().timers().capacity() - 2);
        List<Runnable> left = s.shutdownNow();
        assertThat(left).hasSize(2).containsExactlyInAnyOrder((Runnable) a, (Runnable) b);
        assertThat(a.isDone()).as("returned, not cancelled: the caller owns it").isFalse();
        assertThat(s.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
        left.forEach(Runnable::run);
        assertThat(a.get(1, TimeUnit.SECONDS)).isNull();
        assertThatThrownBy(() -> b.get(1, TimeUnit.SECONDS)).as("a periodic task run after the shutdown")
                .isInstanceOf(CancellationException.class);
    }

    @Test
    void cancelsRacingExpiryRunEachTimerAtMostOnce() throws Exception {
        runtime = VelaRuntime.start(config().set(Settings.EXECUTOR_WORKERS, 2).build());
        ScheduledExecutorService s = runtime.scheduler();
        int n = 5_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        List<ScheduledFuture<?>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int id = i;
            futures.add(s.schedule(() -> runs.incrementAndGet(id), i % 3, TimeUnit.MILLISECONDS));
        }
        boolean[] cancelled = new boolean[n];
        for (int i = 0; i < n; i += 2) {
            cancelled[i] = futures.get(i).cancel(false);
        }
        for (int i = 0; i < n; i++) {
            ScheduledFuture<?> f = futures.get(i);
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (CancellationException e) {
                assertThat(cancelled[i]).as("timer " + i + " cancelled by the test").isTrue();
            }
            assertThat(runs.get(i)).as("runs of timer " + i).isEqualTo(cancelled[i] ? 0 : 1);
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> runtime.stats().timers().remainingCapacity()
                == runtime.stats().timers().capacity());
    }

    @Test
    void timersWaitingForAFullExecutorAreAccountedForAtClose() throws Exception {
        runtime = VelaRuntime.start(config().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 4).set(Settings.SHUTDOWN_DEADLINE_MS, 300L).build());
        CountDownLatch release = Blocker.occupyWorker(runtime.executor());
        AtomicInteger ran = new AtomicInteger();
        List<ScheduledFuture<?>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(runtime.scheduler().schedule(ran::incrementAndGet, 1, TimeUnit.MILLISECONDS));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> runtime.stats().executor().remainingCapacity() == 0);
        Thread.sleep(20); // the rest wait in the timer's hand-off
        AtomicReference<List<ShutdownReport>> reports = new AtomicReference<>();
        Thread closer = new Thread(() -> reports.set(runtime.shutdown(Duration.ofMillis(300))));
        closer.start();
        Thread.sleep(50);
        release.countDown();
        closer.join(5_000);
        int done = 0;
        int refused = 0;
        for (ScheduledFuture<?> f : futures) {
            try {
                f.get(5, TimeUnit.SECONDS);
                done++;
            } catch (CancellationException | ExecutionException e) {
                refused++;
            }
        }
        assertThat(done).isEqualTo(ran.get());
        assertThat(done + refused).isEqualTo(20);
        long reported = reports.get().stream().mapToLong(ShutdownReport::notRun).sum();
        assertThat(reported).as("timers and tasks not run are reported").isEqualTo(refused);
    }
}
