package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ADR 0018: with {@code timer.idle-strategy=auto} the idle timer thread parks until its next timer, its next watchdog
 * sample or a signal. These tests count its duty cycles (and, on Linux, its context switches), and check that every
 * way of handing it something wakes it: schedule and cancel from other threads, shutdown, close, a fired task that
 * finishes after a shutdown; and that the watchdog still samples on time.
 */
@Timeout(30)
class TimerParkTest {
    private static final Logger LOG = LoggerFactory.getLogger(TimerParkTest.class);
    /** AgentRunner names its thread after the agent's role. */
    private static final String TIMER_THREAD = "vela-timer"; // the runtime's thread-name prefix + "-timer"
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
    void idleTimerThreadWakesAFewTimesASecond() throws Exception {
        TimerService timers = start(VelaConfig.builder()); // watchdog on: a sample every 250 ms
        Thread.sleep(300);
        double[] rates = idleRates(timers, 2_000, "auto");
        assertThat(rates[0]).isLessThan(30); // 4 watchdog samples a second, and what the JVM adds
        if (rates[1] >= 0) {
            assertThat(rates[1]).isLessThan(30);
        }
        assertThat(timers.parks()).isPositive();
    }

    /**
     * With two workers the stand-ins' sampler (ADR 0019) shares the timer thread: idle, it samples once per
     * threshold (10 a second at the default 100 ms), beside the watchdog's 4; four times per threshold only while a
     * worker has work behind it. (The test above runs one worker on a 2-core machine: no stand-ins.)
     */
    @Test
    void idleTimerThreadWithStandInsWakesOncePerThresholdMore() throws Exception {
        TimerService timers = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2));
        Thread.sleep(300);
        double[] rates = idleRates(timers, 2_000, "auto, 2 workers, stand-ins at 100 ms");
        assertThat(rates[0]).isLessThan(30); // 10 + 4, not 40 + 4
        assertThat(timers.parks()).isPositive();
    }

    @Test
    void anExplicitIdleStrategyIsKeptAsItWas() throws Exception {
        TimerService timers = start(VelaConfig.builder().set(Settings.TIMER_IDLE_STRATEGY, WaitStrategy.BACKOFF));
        Thread.sleep(200);
        double[] rates = idleRates(timers, 1_000, "backoff"); // what auto did before ADR 0018
        assertThat(rates[0]).isGreaterThan(100); // parks of at most 1 ms: hundreds a second
        assertThat(timers.parks()).isZero();
    }

    @Test
    void timersScheduledFromFourThreadsRacingThePark() throws Exception {
        TimerService timers = start(VelaConfig.builder());
        Thread.sleep(300); // parked, waiting for the watchdog's next sample
        int threads = 4;
        int each = 50;
        long[] delays = new long[threads * each];
        long[] scheduledAt = new long[threads * each];
        long[] firedAt = new long[threads * each];
        AtomicInteger[] runs = new AtomicInteger[threads * each];
        CountDownLatch fired = new CountDownLatch(threads * each);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> schedulers = new ArrayList<>();
        long unparks = timers.unparks();
        for (int k = 0; k < threads; k++) {
            int base = k * each;
            Random random = new Random(42 + k);
            schedulers.add(new Thread(() -> {
                try {
                    for (int i = base; i < base + each; i++) {
                        int n = i;
                        runs[n] = new AtomicInteger();
                        delays[n] = TimeUnit.MILLISECONDS.toNanos(random.nextInt(21));
                        scheduledAt[n] = System.nanoTime();
                        timers.schedule(() -> {
                            firedAt[n] = System.nanoTime();
                            runs[n].incrementAndGet();
                            fired.countDown();
                        }, delays[n], TimeUnit.NANOSECONDS);
                        if (random.nextInt(4) == 0) {
                            Thread.sleep(random.nextInt(25)); // lets the agent park between schedules
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "scheduler-" + k));
        }
        schedulers.forEach(Thread::start);
        for (Thread t : schedulers) {
            t.join(10_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(50); // a second run would show here
        long latest = 0;
        for (int i = 0; i < delays.length; i++) {
            assertThat(runs[i]).as("runs of timer %d", i).hasValue(1);
            long late = firedAt[i] - scheduledAt[i] - delays[i];
            assertThat(late).as("timer %d fired before its delay", i).isGreaterThanOrEqualTo(0);
            latest = Math.max(latest, late);
        }
        LOG.info("200 timers from 4 threads: latest {} µs after its deadline; {} unparks of the timer thread",
                latest / 1_000, timers.unparks() - unparks);
        assertThat(timers.unparks() - unparks).isPositive().isLessThanOrEqualTo(delays.length);
        assertThat(latest).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void schedulesThatFindTheAgentAwakeDoNotUnparkIt() throws Exception {
        TimerService timers = start(VelaConfig.builder());
        Thread.sleep(100); // parked until the watchdog's next sample: a timer due earlier must wake it
        int n = 20_000;
        AtomicInteger ran = new AtomicInteger();
        long unparks = timers.unparks();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            timers.schedule(ran::incrementAndGet, 20, TimeUnit.MILLISECONDS);
        }
        long took = System.nanoTime() - t0;
        long woken = timers.unparks() - unparks;
        LOG.info("{} schedules in a loop: {} unparks of the timer thread, {} ns per schedule", n, woken, took / n);
        assertThat(woken).isPositive().isLessThan(n / 4); // only the ones that find it parked (or parking)
        awaitTrue(() -> ran.get() == n, 5_000);
    }

    @Test
    void shutdownNowDuringTheAgentsDrainReturnsEveryPendingTimer() throws Exception {
        TimerService timers = start(VelaConfig.builder());
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            timers.schedule(() -> { }, 3_600_000 + i, TimeUnit.MILLISECONDS); // spread over the wheel's slots
        }
        timers.schedule(() -> { }, 0, TimeUnit.MILLISECONDS); // wakes the agent: it drains while shutdownNow comes
        // commands the agent applies after the state changed, before it makes the list, are returned, not cancelled
        assertThat(timers.shutdownNow()).hasSizeBetween(n, n + 1);
    }

    @Test
    void cancelWhileParkedWaitsForTheAgentsOwnWakeUp() throws Exception {
        // the watchdog is off: the agent sleeps until its safety-net wake-up (1 s), the timer being later
        TimerService timers = start(VelaConfig.builder().set(Settings.WATCHDOG_STALL_MS, 0L));
        AtomicInteger ran = new AtomicInteger();
        ScheduledFuture<?> f = timers.schedule(ran::incrementAndGet, 5, TimeUnit.SECONDS);
        Thread.sleep(100); // parked
        long unparks = timers.unparks();
        assertThat(f.cancel(false)).isTrue();
        assertThat(f.isCancelled()).isTrue(); // at once, on the cancelling thread
        assertThat(timers.unparks()).isEqualTo(unparks); // a cancel needs nobody in time
        awaitTrue(() -> timers.remainingCapacity() == timers.capacity(), 2_000); // retired at the next wake-up
        assertThat(ran).hasValue(0);
    }

    @Test
    void askLikeTimeoutsScheduledAndCancelledDoNotWakeTheParkedAgent() throws Exception {
        // what every actor ask does: a timeout scheduled, then cancelled when the reply comes
        TimerService timers = start(VelaConfig.builder());
        Thread.sleep(100); // parked until the watchdog's next sample
        AtomicInteger ran = new AtomicInteger();
        int n = 200;
        long woken = askLikeTimeouts(timers, n, ran);
        LOG.info("{} ask-like timeouts scheduled and cancelled: {} unparks of the timer thread", n, woken);
        assertThat(woken).isZero();
        awaitTrue(() -> timers.remainingCapacity() == timers.capacity(), 2_000); // all retired in the end
        assertThat(ran).hasValue(0);
    }

    /** An echo actor's request. */
    record Ping(io.vela.engine.actor.ActorRef<Integer> replyTo) {
    }

    @Test
    void actorAsksDoNotWakeTheParkedTimerThread() throws Exception {
        TimerService timers = start(VelaConfig.builder());
        io.vela.engine.actor.ActorRef<Ping> echo = runtime.actors().spawn(
                io.vela.engine.actor.Behaviors.<Ping>receiveMessage(p -> {
                    p.replyTo().tell(1);
                    return io.vela.engine.actor.Behaviors.same();
                }), "echo");
        assertThat(echo.<Integer>ask(Ping::new, Duration.ofSeconds(5)).get(2, TimeUnit.SECONDS)).isEqualTo(1);
        Thread.sleep(100); // parked until the watchdog's next sample
        long unparks = timers.unparks();
        int n = 200;
        for (int i = 0; i < n; i++) { // each ask schedules a 5 s timeout and cancels it when the reply comes
            assertThat(echo.<Integer>ask(Ping::new, Duration.ofSeconds(5)).get(2, TimeUnit.SECONDS)).isEqualTo(1);
            LockSupport.parkNanos(200_000);
        }
        long woken = timers.unparks() - unparks;
        LOG.info("{} actor asks: {} unparks of the timer thread", n, woken);
        assertThat(woken).isLessThan(10); // not one per ask
    }

    @Test
    void cancelsPilingUpWhileTheAgentSleepsWakeIt() throws Exception {
        // 64 pending at most, fail-fast: only the agent frees the cancelled ones, so it must not sleep through them
        TimerService timers = start(VelaConfig.builder().set(Settings.WATCHDOG_STALL_MS, 0L)
                .set(Settings.TIMER_MAX_PENDING, 64));
        Thread.sleep(100);
        long unparks = timers.unparks();
        for (int i = 0; i < 2_000; i++) {
            timers.schedule(() -> { }, 1, TimeUnit.HOURS).cancel(false);
            if (timers.remainingCapacity() < 8) {
                Thread.sleep(1); // the woken agent retires them
            }
        }
        assertThat(timers.unparks() - unparks).isPositive();
        awaitTrue(() -> timers.remainingCapacity() == timers.capacity(), 2_000);
    }

    @Test
    void aCancelAfterShutdownLetsItTerminatePromptly() throws Exception {
        TimerService timers = start(VelaConfig.builder().set(Settings.WATCHDOG_STALL_MS, 0L));
        ScheduledFuture<?> f = timers.schedule(() -> { }, 1, TimeUnit.HOURS);
        timers.shutdown(); // a delayed one-shot still fires after shutdown(): not terminated
        Thread.sleep(100);
        assertThat(timers.isTerminated()).isFalse();
        long t0 = System.nanoTime();
        f.cancel(false);
        assertThat(timers.awaitTermination(2, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void shutdownWhileParkedTerminatesPromptly() throws Exception {
        TimerService timers = start(VelaConfig.builder().set(Settings.WATCHDOG_STALL_MS, 0L));
        Thread.sleep(100);
        long t0 = System.nanoTime();
        timers.shutdown();
        assertThat(timers.awaitTermination(2, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void shutdownTerminatesWhenTheLastFiredTaskFinishes() throws Exception {
        TimerService timers = start(VelaConfig.builder().set(Settings.WATCHDOG_STALL_MS, 0L));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        timers.schedule(() -> {
            running.countDown();
            release.await();
            return null;
        }, 1, TimeUnit.MILLISECONDS);
        assertThat(running.await(2, TimeUnit.SECONDS)).isTrue();
        timers.shutdown();
        Thread.sleep(100); // the agent parks: nothing pending, one task in flight
        assertThat(timers.isTerminated()).isFalse();
        long t0 = System.nanoTime();
        release.countDown();
        assertThat(timers.awaitTermination(2, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void shutdownNowWhileParkedReturnsThePendingTimersPromptly() throws Exception {
        TimerService timers = start(VelaConfig.builder().set(Settings.WATCHDOG_STALL_MS, 0L));
        ScheduledFuture<?> f = timers.schedule(() -> { }, 10, TimeUnit.SECONDS);
        Thread.sleep(100);
        long t0 = System.nanoTime();
        List<Runnable> left = timers.shutdownNow();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(left).containsExactly((Runnable) f);
    }

    @Test
    void closeWhileParkedReturnsPromptlyAndCancelsPendingTimers() throws Exception {
        TimerService timers = start(VelaConfig.builder().set(Settings.WATCHDOG_STALL_MS, 0L));
        ScheduledFuture<?> f = timers.schedule(() -> { }, 10, TimeUnit.SECONDS);
        Thread.sleep(100);
        long t0 = System.nanoTime();
        runtime.close();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(f.isCancelled()).isTrue();
        assertThat(runtime.shutdownReports()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("timer");
            assertThat(r.notRun()).isEqualTo(1);
        });
    }

    @Test
    void watchdogReportsAStuckWorkerOnAnIdleRuntime() throws Exception {
        AtomicLong reportedAt = new AtomicLong();
        CountDownLatch stalled = new CountDownLatch(1);
        runtime = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.WATCHDOG_STALL_MS, 200L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> {
                    reportedAt.compareAndSet(0, System.nanoTime());
                    stalled.countDown();
                }).start();
        Thread.sleep(400); // idle: the timer thread sleeps between samples
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        runtime.executor().execute(() -> {
            started.countDown();
            awaitQuietly(release);
        });
        assertThat(started.await(2, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        try {
            assertThat(stalled.await(2, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
        }
        long after = reportedAt.get() - t0;
        // threshold + one sample period (50 ms) + the notifier's hop, with room for a loaded machine
        assertThat(after).isBetween(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(450));
    }

    @Test
    void schedulingAndCancellingInBurstsForTwoSecondsLosesNothing() throws Exception {
        TimerService timers = start(VelaConfig.builder());
        int threads = 4;
        List<List<ScheduledFuture<?>>> futures = new ArrayList<>();
        List<List<AtomicInteger>> runs = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (int k = 0; k < threads; k++) {
            List<ScheduledFuture<?>> mine = new ArrayList<>();
            List<AtomicInteger> myRuns = new ArrayList<>();
            futures.add(mine);
            runs.add(myRuns);
            Random random = new Random(7 + k);
            workers.add(new Thread(() -> {
                try {
                    while (System.nanoTime() - end < 0) {
                        int from = mine.size();
                        for (int i = 0; i < 20; i++) {
                            AtomicInteger r = new AtomicInteger();
                            myRuns.add(r);
                            mine.add(timers.schedule(r::incrementAndGet, random.nextInt(6),
                                    TimeUnit.MILLISECONDS));
                        }
                        for (int i = from; i < mine.size(); i++) {
                            if (random.nextBoolean()) {
                                mine.get(i).cancel(false); // before, while or after it fires
                            }
                        }
                        Thread.sleep(random.nextInt(30)); // the runtime idles: the agent parks
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "burst-" + k));
        }
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            t.join(10_000);
        }
        assertThat(failure.get()).isNull();
        int total = 0;
        int cancelled = 0;
        for (int k = 0; k < threads; k++) {
            for (int i = 0; i < futures.get(k).size(); i++) {
                ScheduledFuture<?> f = futures.get(k).get(i);
                try {
                    f.get(5, TimeUnit.SECONDS);
                } catch (CancellationException e) {
                    cancelled++;
                }
                total++;
                assertThat(f.isDone()).isTrue();
                // a cancel that lands while the task runs still cancels its future (as FutureTask's does)
                assertThat(runs.get(k).get(i).get()).as("runs of timer %d/%d", k, i)
                        .isBetween(f.isCancelled() ? 0 : 1, 1);
            }
        }
        Thread.sleep(30); // a late second run would show here
        for (int k = 0; k < threads; k++) {
            for (int i = 0; i < futures.get(k).size(); i++) {
                assertThat(runs.get(k).get(i).get()).isLessThanOrEqualTo(1);
            }
        }
        LOG.info("{} timers in bursts, {} cancelled", total, cancelled);
        assertThat(total).isGreaterThan(400);
        assertThat(cancelled).isPositive().isLessThan(total);
        awaitTrue(() -> timers.remainingCapacity() == timers.capacity(), 2_000); // every one retired
    }

    // ---- review (ADR 0018): bounds relative to what was pending when the agent parked; close

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
        AtomicInteger ran = new AtomicInteger();
        int n = 100;
        long woken = askLikeTimeouts(timers, n, ran);
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
        // the agent may re-park halfway through the cancels with bounds that let the rest wait for it (ADR 0018
        // decision 5: half the room left); the schedules then pass its pending bound before the limit and wake it,
        // so every one of these passes (policy fail-fast, the default); unwoken, the agent would sleep on for
        // ~850 ms (its 1 s safety net) with the cancels queued and the limit reached
        long t0 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            while (true) {
                try {
                    timers.schedule(() -> { }, 1, TimeUnit.HOURS);
                    break;
                } catch (io.vela.engine.RingFullException full) {
                    assertThat(System.nanoTime() - t0).as("schedules refused for 600 ms after 10 cancels")
                            .isLessThan(TimeUnit.MILLISECONDS.toNanos(600));
                    Thread.sleep(1);
                }
            }
        }
    }

    @Test
    void closingAnIdleRuntimeIsPrompt() throws Exception {
        // watchdog off: the parked timer thread sleeps up to its 1 s safety net, so a stop that did not wake it
        // would take ~700 ms after this 300 ms sleep
        start(VelaConfig.builder().set(Settings.WATCHDOG_STALL_MS, 0L));
        Thread.sleep(300);
        long t0 = System.nanoTime();
        runtime.close();
        long took = System.nanoTime() - t0;
        LOG.info("close() of an idle runtime: {} µs; {}", took / 1_000, runtime.shutdownReports());
        assertThat(runtime.shutdownReports()).allSatisfy(r -> assertThat(r.completed()).isTrue());
        // the parked timer thread is woken by stop(), not left to its next sample 0-250 ms away
        assertThat(runtime.shutdownReports()).filteredOn(r -> r.name().equals("timer")).singleElement()
                .satisfies(r -> assertThat(r.took()).isLessThan(java.time.Duration.ofMillis(300)));
        assertThat(took).isLessThan(TimeUnit.SECONDS.toNanos(1)); // the whole close (its first run loads classes)
    }

    @Test
    void anInputThatStaysChangedMakesTheIdleAgentBackOffNotSpin() {
        // a producer descheduled between its tail CAS and its element store leaves the queue non-empty but
        // unreadable: hasWork stays true and the duty cycle finds nothing; the agent must back off, not spin a core
        TimerIdle idle = new TimerIdle();
        idle.attach(new TimerIdle.Duty() {
            @Override
            public long sleepNanos(long now) {
                return TimeUnit.SECONDS.toNanos(1);
            }

            @Override
            public boolean hasWork() {
                return true;
            }
        });
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long calls = 0;
        while (System.nanoTime() - end < 0) {
            idle.idle(0);
            calls++;
        }
        LOG.info("idle() with an input that stays changed: {} calls in 100 ms", calls);
        assertThat(calls).isLessThan(10_000); // back-off: 100 spins, 10 yields, then parks up to 1 ms
        assertThat(idle.parks()).isZero();
    }

    // ---- helpers

    /**
     * What every actor ask does: a 5 s timeout scheduled, cancelled when the reply comes (0.2 ms later), n times.
     *
     * @return how many times a scheduling or cancelling thread unparked the timer thread meanwhile
     */
    private static long askLikeTimeouts(TimerService timers, int n, AtomicInteger ran) {
        long unparks = timers.unparks();
        for (int i = 0; i < n; i++) {
            ScheduledFuture<?> timeout = timers.schedule(ran::incrementAndGet, 5, TimeUnit.SECONDS);
            LockSupport.parkNanos(200_000); // the round trip
            assertThat(timeout.cancel(false)).isTrue();
            LockSupport.parkNanos(200_000);
        }
        return timers.unparks() - unparks;
    }

    /** @return duty cycles per second and voluntary context switches per second (-1 off Linux), idle; logged */
    private static double[] idleRates(TimerService timers, long millis, String strategy) throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(TIMER_THREAD))
                .mapToLong(Thread::getId).findFirst().orElse(-1);
        long cpu = id < 0 ? -1 : mx.getThreadCpuTime(id);
        long cycles = timers.dutyCycles();
        long switches = voluntarySwitches(TIMER_THREAD);
        long t0 = System.nanoTime();
        Thread.sleep(millis);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cyclesPerSecond = (timers.dutyCycles() - cycles) / seconds;
        double switchesPerSecond = switches < 0 ? -1 : (voluntarySwitches(TIMER_THREAD) - switches) / seconds;
        double cpuMsPerSecond = cpu < 0 ? -1 : (mx.getThreadCpuTime(id) - cpu) / 1e6 / seconds;
        LOG.info("idle timer thread ({}): {} duty cycles/s, {} voluntary context switches/s, {} ms CPU/s", strategy,
                String.format("%.1f", cyclesPerSecond), String.format("%.1f", switchesPerSecond),
                String.format("%.2f", cpuMsPerSecond));
        return new double[] {cyclesPerSecond, switchesPerSecond};
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, long millis)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as("condition within %d ms", millis).isNegative();
            Thread.sleep(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the voluntary context switches of this process's threads named {@code comm}, or -1 off Linux */
    static long voluntarySwitches(String comm) throws IOException {
        Path tasks = Paths.get("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        long sum = -1;
        try (Stream<Path> all = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) all::iterator) {
                try {
                    if (!Files.readString(task.resolve("comm")).trim().equals(comm)) {
                        continue;
                    }
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            sum = Math.max(sum, 0) + Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException gone) { // the thread ended while listed
                    continue;
                }
            }
        }
        return sum;
    }
}
