package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault injection against the timer (the runtime's {@link ScheduledExecutorService}), through the public API only.
 */
class AdversarialTimerTest {
    private VelaRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            Thread closer = new Thread(runtime::close, "adversarial-closer");
            closer.setDaemon(true);
            closer.start();
            try {
                closer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private VelaRuntime start(VelaConfig.Builder b) {
        runtime = VelaRuntime.start(b.set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING).build());
        return runtime;
    }

    @Test
    @Timeout(30)
    void awaitTerminationReturnsTrueWhileAFiredTaskIsStillRunning() throws Exception {
        ScheduledExecutorService s = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)).scheduler();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScheduledFuture<?> f = s.schedule(() -> {
            started.countDown();
            Blocker.awaitQuietly(release);
        }, 0, TimeUnit.MILLISECONDS);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        try {
            s.shutdown();
            boolean terminated = s.awaitTermination(1, TimeUnit.SECONDS);
            assertThat(terminated)
                    .as("ExecutorService.awaitTermination: 'blocks until all tasks have completed execution after a "
                            + "shutdown request'; the task is still running (done: %s, isTerminated: %s)",
                            f.isDone(), s.isTerminated())
                    .isFalse();
        } finally {
            release.countDown();
        }
    }

    @Test
    @Timeout(30)
    void shuttingDownTheSchedulerTheRuntimeHandsOutStopsTheWatchdog() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        runtime = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                        .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING)
                        .set(Settings.WATCHDOG_STALL_MS, 50L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> stalled.countDown()).start();
        ScheduledExecutorService s = runtime.scheduler();
        s.shutdown(); // e.g. a library that "owns" the executor it was given, or a try-with-resources
        assertThat(s.awaitTermination(2, TimeUnit.SECONDS)).isTrue();
        RingExecutor ex = runtime.executor();
        CountDownLatch release = Blocker.occupyWorker(ex);
        try {
            ex.execute(() -> { }); // work behind the stuck task
            assertThat(stalled.await(2, TimeUnit.SECONDS))
                    .as("a worker stuck for 2 s with watchdog.stall-ms = 50 is reported after the user shut down "
                            + "runtime.scheduler()")
                    .isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    @Timeout(30)
    void scheduleWithAHugeDelayOverflowsTheDeadlineAndRunsAtOnce() throws Exception {
        ScheduledExecutorService s = start(VelaConfig.builder()).scheduler();
        AtomicInteger ran = new AtomicInteger();
        ScheduledFuture<?> f = s.schedule(ran::incrementAndGet, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        Thread.sleep(300);
        assertThat(ran.get())
                .as("schedule(task, Long.MAX_VALUE ns) (the 'never, unless cancelled' idiom) ran within 300 ms; "
                        + "getDelay says %d ns", f.getDelay(TimeUnit.NANOSECONDS))
                .isZero();
    }

    @Test
    @Timeout(30)
    void periodicRunAlreadyHandedToTheExecutorStillRunsAfterShutdown() throws Exception {
        VelaRuntime rt = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1));
        ScheduledExecutorService s = rt.scheduler();
        CountDownLatch release = Blocker.occupyWorker(rt.executor());
        AtomicInteger ran = new AtomicInteger();
        ScheduledFuture<?> f;
        try {
            f = s.scheduleAtFixedRate(ran::incrementAndGet, 0, 10, TimeUnit.SECONDS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (rt.stats().timers().completed() < 1 && System.nanoTime() < end) { // fired into the ring
                Thread.sleep(5);
            }
            assertThat(rt.stats().timers().completed()).isEqualTo(1);
            s.shutdown(); // ScheduledThreadPoolExecutor: periodic tasks are cancelled and do not start again
        } finally {
            release.countDown();
        }
        assertThat(s.awaitTermination(2, TimeUnit.SECONDS)).isTrue();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!f.isDone() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(ran.get())
                .as("a periodic task cancelled by shutdown() (future done: %s, cancelled: %s) started a run after "
                        + "the shutdown", f.isDone(), f.isCancelled())
                .isZero();
    }

    @Test
    @Timeout(30)
    void stallListenerSchedulingAtTheTimerBoundBlocksTheTimerThreadForGood() throws Exception {
        AtomicInteger stalls = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<ScheduledExecutorService> sched =
                new java.util.concurrent.atomic.AtomicReference<>();
        runtime = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2)
                        .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING)
                        .set(Settings.TIMER_MAX_PENDING, 1).set(Settings.TIMER_OVERFLOW, OverflowPolicy.BLOCK)
                        .set(Settings.WATCHDOG_STALL_MS, 50L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> {
                    stalls.incrementAndGet();
                    // e.g. "check again in a second": on the timer thread, with the timer at its bound
                    sched.get().schedule(() -> { }, 1, TimeUnit.SECONDS);
                }).start();
        ScheduledExecutorService s = runtime.scheduler();
        sched.set(s);
        CountDownLatch fired = new CountDownLatch(1);
        s.schedule(fired::countDown, 500, TimeUnit.MILLISECONDS); // the one pending timer
        CountDownLatch release = Blocker.occupyWorker(runtime.executor());
        try {
            runtime.executor().execute(() -> { }); // work behind the stuck task: the watchdog reports a stall
            assertThat(fired.await(3, TimeUnit.SECONDS))
                    .as("a timer due at 500 ms fires; the stall listener (called %d time(s)) scheduled a timer from "
                            + "the timer thread while the timer was at timer.max-pending under block", stalls.get())
                    .isTrue();
        } finally {
            release.countDown();
        }
    }
}
