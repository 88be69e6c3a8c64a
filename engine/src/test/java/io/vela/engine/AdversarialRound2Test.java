package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Second adversarial pass (issue #7 fixes): attacks the new mechanisms (announce/withdraw, the sweep, abandoned
 * slots, the timer's hand-off, terminated latch and stop). Public API only.
 */
class AdversarialRound2Test {
    private final List<VelaRuntime> runtimes = new ArrayList<>();
    private final List<CountDownLatch> gates = new ArrayList<>();

    @AfterEach
    void closeAll() throws InterruptedException {
        for (CountDownLatch g : gates) {
            g.countDown();
        }
        for (VelaRuntime r : runtimes) {
            Thread closer = new Thread(() -> r.shutdown(Duration.ofMillis(500)), "round2-closer");
            closer.setDaemon(true);
            closer.start();
            closer.join(3_000);
        }
    }

    private VelaRuntime start(VelaConfig.Builder config) {
        return start(VelaRuntime.builder().config(config.build()));
    }

    private VelaRuntime start(VelaRuntime.Builder builder) {
        VelaRuntime r = builder.start();
        runtimes.add(r);
        return r;
    }

    private CountDownLatch gate() {
        CountDownLatch g = new CountDownLatch(1);
        gates.add(g);
        return g;
    }

    /** Waits on {@code gate} ignoring interrupts (up to 10 s, so a failing test cannot hang the suite). */
    private static void awaitIgnoringInterrupts(CountDownLatch gate) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gate.getCount() != 0 && System.nanoTime() - end < 0) {
            try {
                gate.await(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                // keep waiting
            }
        }
    }

    private static void awaitUntil(String what, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    // ---- 1. a second sweep takes the slots the first one took

    /**
     * shutdownNow() twice: the second sweep's {@code take = own.claim(seq) || seq > announced} takes every slot past
     * the halted worker's position again, although the first sweep already claimed (and returned) it. Running both
     * lists, as a caller may, runs each task twice.
     */
    @Test
    @Timeout(10)
    void shutdownNowTwiceReturnsTheSameTasksTwice() throws Exception {
        VelaRuntime rt = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1));
        RingExecutor ex = rt.executor();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = gate();
        ex.execute(() -> {
            started.countDown();
            awaitIgnoringInterrupts(release); // a task that does not honour the interrupt
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            ex.execute(runs::incrementAndGet);
        }
        List<Runnable> first = ex.shutdownNow();
        List<Runnable> second = ex.shutdownNow();
        release.countDown();
        assertThat(ex.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        first.forEach(Runnable::run);
        second.forEach(Runnable::run);
        assertThat(first).hasSize(10);
        assertThat(runs.get()).as("10 accepted tasks, each returned by one shutdownNow and run by the caller: "
                + "second shutdownNow returned %d", second.size()).isEqualTo(10);
    }

    /**
     * The same with keyed tasks on 2 workers, and a shutdown(deadline) after the shutdownNow(): the report counts
     * (and fails the futures of) tasks shutdownNow() already returned, so a task is both returned and reported.
     */
    @Test
    @Timeout(10)
    void shutdownAfterShutdownNowReportsTasksAlreadyReturned() throws Exception {
        VelaRuntime rt = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2));
        RingExecutor ex = rt.executor();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = gate();
        long key = 42;
        ex.executeKeyed(key, () -> {
            started.countDown();
            awaitIgnoringInterrupts(release);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int id = i;
            futures.add(ex.submitKeyed(key, () -> id));
        }
        List<Runnable> returned = ex.shutdownNow();
        returned.forEach(Runnable::run); // the caller runs what it got back: every future completes normally
        ShutdownReport report = ex.shutdown(Duration.ofMillis(20));
        release.countDown();
        assertThat(returned).hasSize(10);
        for (CompletableFuture<Integer> f : futures) {
            assertThat(f).isCompletedWithValueMatching(v -> v >= 0);
        }
        assertThat(report.notRun()).as("tasks already returned by shutdownNow() reported again as not run")
                .isZero();
    }

    // ---- 2. the timer's futures after close, when the timer thread is stuck in a stall listener

    /**
     * A stall listener (user code on the timer thread) that does not return: close() interrupts the timer thread
     * and returns, but nothing completes the pending timers' futures; they stay incomplete for as long as the
     * listener runs (for ever, if it never returns), though close() reported them as not run.
     */
    @Test
    @Timeout(10)
    void timerFuturesCompleteAfterCloseEvenWhenTimerThreadIsStuck() throws Exception {
        CountDownLatch listenerEntered = new CountDownLatch(1);
        CountDownLatch listenerRelease = gate();
        VelaRuntime rt = start(VelaRuntime.builder()
                .config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                        .set(Settings.WATCHDOG_STALL_MS, 50L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> {
                    listenerEntered.countDown();
                    awaitIgnoringInterrupts(listenerRelease);
                }));
        ScheduledFuture<?> pending = rt.scheduler().schedule(() -> { }, 1, TimeUnit.HOURS);
        CountDownLatch taskRelease = gate();
        rt.executor().execute(() -> {
            try {
                taskRelease.await(); // honours the interrupt
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(listenerEntered.await(5, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        List<ShutdownReport> reports = rt.shutdown(Duration.ofMillis(400));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        boolean done = pending.isDone();
        listenerRelease.countDown();
        assertThat(tookMs).isLessThan(1_000);
        assertThat(reports).anyMatch(r -> r.name().equals("timer") && r.notRun() == 1);
        assertThat(done).as("a pending timer's future after close() returned (the timer reported it as not run)")
                .isTrue();
    }

    // ---- 3. the timer's terminated latch, and shutdownNow(), ignore commands still in the queue

    /**
     * The agent counts {@code terminated} down when its wheel, hand-off list and in-flight count are empty, after
     * draining at most 4096 commands; a one-shot accepted by {@code schedule} (counted in {@code pending}, future
     * returned) whose command is still in the queue is not looked at. Made deterministic by holding the timer
     * thread in a stall listener while 4096 cancel commands (of one-shots already fired, so not pending) and then
     * the accepted one-shot's command queue up. awaitTermination() returns true; the one-shot runs 300 ms later.
     */
    @Test
    @Timeout(10)
    void schedulerAwaitTerminationWaitsForEveryAcceptedOneShot() throws Exception {
        lateOneShotAcrossSchedulerShutdown(false);
    }

    /**
     * The same with scheduler().shutdownNow(): cancelAll() runs after one drain of at most 4096 commands, so the
     * accepted one-shot is not returned and not cancelled; the agent then schedules it (apply() refuses only
     * periodic tasks once shut down) and it runs 300 ms after shutdownNow() returned.
     */
    @Test
    @Timeout(10)
    void schedulerShutdownNowReturnsOrCancelsEveryAcceptedTask() throws Exception {
        lateOneShotAcrossSchedulerShutdown(true);
    }

    private void lateOneShotAcrossSchedulerShutdown(boolean shutdownNow) throws Exception {
        int burst = 4096; // one drain's worth of commands
        CountDownLatch listenerEntered = new CountDownLatch(1);
        CountDownLatch listenerRelease = gate();
        VelaRuntime rt = start(VelaRuntime.builder()
                .config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                        .set(Settings.EXECUTOR_RING_SIZE, 2 * burst)
                        .set(Settings.TIMER_MAX_PENDING, burst)
                        .set(Settings.WATCHDOG_STALL_MS, 500L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> {
                    listenerEntered.countDown();
                    awaitIgnoringInterrupts(listenerRelease);
                }));
        ScheduledExecutorService sched = rt.scheduler();
        RingStats timerStats = (RingStats) sched;
        CountDownLatch workerRelease = gate();
        CountDownLatch workerBlocked = new CountDownLatch(1);
        rt.executor().execute(() -> {
            workerBlocked.countDown();
            awaitIgnoringInterrupts(workerRelease);
        });
        assertThat(workerBlocked.await(5, TimeUnit.SECONDS)).isTrue();
        // one-shots fire into the blocked executor's ring: no longer pending once handed over
        List<ScheduledFuture<?>> fired = new ArrayList<>();
        while (fired.size() < burst) {
            try {
                fired.add(sched.schedule(() -> { }, 0, TimeUnit.NANOSECONDS));
            } catch (RingFullException e) {
                Thread.sleep(1);
            }
        }
        awaitUntil("the one-shots to be handed to the executor", () -> timerStats.completed() == burst);
        assertThat(listenerEntered.await(5, TimeUnit.SECONDS)).isTrue(); // the timer thread is now held
        for (ScheduledFuture<?> f : fired) {
            assertThat(f.cancel(false)).isTrue(); // each queues a cancel command
        }
        workerRelease.countDown(); // the worker runs the cancelled tasks: nothing in flight
        awaitUntil("the executor to run the cancelled tasks",
                () -> rt.executor().stats().completed() >= burst + 1);
        CountDownLatch lateRan = new CountDownLatch(1);
        ScheduledFuture<?> late = sched.schedule(lateRan::countDown, 300, TimeUnit.MILLISECONDS); // accepted
        if (shutdownNow) {
            AtomicReference<List<Runnable>> returned = new AtomicReference<>();
            Thread closer = new Thread(() -> returned.set(sched.shutdownNow()), "round2-timer-shutdownNow");
            closer.setDaemon(true);
            closer.start();
            awaitUntil("shutdownNow to begin", sched::isShutdown);
            listenerRelease.countDown();
            closer.join(5_000);
            boolean inList = returned.get() != null && returned.get().contains(late);
            boolean ran = lateRan.await(2, TimeUnit.SECONDS);
            assertThat(inList || !ran).as("an accepted one-shot neither returned by shutdownNow() (%d returned) nor "
                    + "cancelled: it ran after shutdownNow() returned", returned.get().size()).isTrue();
            return;
        }
        sched.shutdown(); // lets delayed one-shots run
        listenerRelease.countDown();
        boolean terminated = sched.awaitTermination(5, TimeUnit.SECONDS);
        boolean lateDoneAtTermination = late.isDone();
        assertThat(terminated).isTrue();
        assertThat(lateDoneAtTermination).as("awaitTermination() returned true before an accepted one-shot ran "
                + "(it ran later: %s)", lateRan.await(2, TimeUnit.SECONDS)).isTrue();
    }

    // ---- 4. stress: shutdownNow() / shutdown(short deadline) against busy workers, per-task accounting

    private static final ThreadLocal<Boolean> RUN_BY_CALLER_OF_SHUTDOWN_NOW = ThreadLocal.withInitial(() -> false);

    /** One round's ledger: for every task id, how often it ran on the executor and how often as a returned task. */
    private static final class Ledger {
        static final int MAX = 1 << 16;
        final AtomicInteger nextId = new AtomicInteger();
        final AtomicIntegerArray runs = new AtomicIntegerArray(MAX);
        final AtomicIntegerArray returnedRuns = new AtomicIntegerArray(MAX);
        final AtomicIntegerArray refused = new AtomicIntegerArray(MAX);
        final AtomicReferenceArray<CompletableFuture<Integer>> futures = new AtomicReferenceArray<>(MAX);
        final AtomicInteger refusals = new AtomicInteger();
        final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());

        /** Submits one task (and, from a task, sometimes a child); false when out of ids or refused. */
        boolean submit(RingExecutor ex, boolean keyed) {
            int id = nextId.getAndIncrement();
            if (id >= MAX) {
                return false;
            }
            try {
                CompletableFuture<Integer> f = keyed && (id & 1) == 0
                        ? ex.submitKeyed((long) (id % 7), () -> body(ex, keyed, id))
                        : ex.submit(() -> body(ex, keyed, id));
                futures.set(id, f);
                return true;
            } catch (RejectedExecutionException e) {
                refused.set(id, 1);
                refusals.incrementAndGet();
                return false;
            } catch (Throwable t) {
                violations.add("task " + id + ": submit threw " + t);
                return false;
            }
        }

        private int body(RingExecutor ex, boolean keyed, int id) {
            if (RUN_BY_CALLER_OF_SHUTDOWN_NOW.get()) {
                returnedRuns.incrementAndGet(id);
            } else {
                runs.incrementAndGet(id);
            }
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            long spin = System.nanoTime() + rnd.nextInt(20_000);
            while (System.nanoTime() - spin < 0) {
                Thread.onSpinWait();
            }
            if (rnd.nextInt(16) == 0 && !RUN_BY_CALLER_OF_SHUTDOWN_NOW.get()) {
                submit(ex, keyed); // from a worker: inline when the ring is full (unkeyed), refused when closed
            }
            return id;
        }

        void check(int expectedReported, int returnedCount, long rejected, String round) {
            int n = Math.min(nextId.get(), MAX);
            int reported = 0;
            int returned = 0;
            for (int id = 0; id < n; id++) {
                int r = runs.get(id);
                int ret = returnedRuns.get(id);
                returned += ret;
                CompletableFuture<Integer> f = futures.get(id);
                if (refused.get(id) == 1) {
                    if (r + ret != 0) {
                        violations.add(round + " task " + id + ": refused but ran " + r + "+" + ret);
                    }
                    continue;
                }
                if (f == null) {
                    violations.add(round + " task " + id + ": neither accepted nor refused");
                    continue;
                }
                int rep = 0;
                if (f.isCompletedExceptionally()) {
                    Throwable cause = null;
                    try {
                        f.join();
                    } catch (CompletionException | CancellationException e) {
                        cause = e.getCause();
                    }
                    if (cause instanceof RingClosedException) {
                        rep = 1;
                        reported++;
                    } else {
                        violations.add(round + " task " + id + ": future failed with " + cause);
                    }
                } else if (!f.isDone()) {
                    if (r + ret == 0) {
                        violations.add(round + " task " + id + ": accepted, never run, not returned, not reported"
                                + " (future incomplete)");
                        continue;
                    }
                    violations.add(round + " task " + id + ": ran but future incomplete");
                }
                if (r + ret + rep != 1) {
                    violations.add(round + " task " + id + ": runs=" + r + " returnedRuns=" + ret + " reported=" + rep);
                }
            }
            if (expectedReported >= 0 && reported != expectedReported) {
                violations.add(round + ": report.notRun()=" + expectedReported + " but " + reported
                        + " futures failed with RingClosedException");
            }
            if (returnedCount >= 0 && returned != returnedCount) {
                violations.add(round + ": shutdownNow() returned " + returnedCount + " tasks, running them ran "
                        + returned);
            }
            if (rejected != refusals.get()) {
                violations.add(round + ": stats().rejected()=" + rejected + " but " + refusals.get() + " refusals");
            }
        }
    }

    /**
     * Races shutdownNow() or shutdown(0-3 ms) against two submitters and busy workers (keyed and unkeyed, a ring of
     * 512 so workers claim chunks and the ring fills; tasks sometimes submit a child, run inline by a worker that
     * finds the ring full). For every task id: runs + returned-and-run + reported-with-failed-future == 1; refused
     * tasks never run; report.notRun() and the shutdownNow() list match the ledger; rejected() counts refusals.
     * Passes on the current code (a regression guard for the announce/withdraw protocol and the sweep).
     */
    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 2, 4})
    @Timeout(20)
    void shutdownRacesAgainstBusyWorkersAccountForEveryTask(int workers) throws Exception {
        stress(workers, false);
    }

    /**
     * The same race, with shutdownNow() and shutdown(0-3 ms) called at once from two threads (a runtime close
     * racing a user's shutdownNow()). Fails: a worker's own slots past its position are taken by both sweeps (finding
     * 1), so a task is both returned by shutdownNow() and reported (its future failed) by the shutdown.
     */
    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 2, 4})
    @Timeout(20)
    void concurrentShutdownNowAndShutdownDeadlineAccountForEveryTask(int workers) throws Exception {
        stress(workers, true);
    }

    private static void stress(int workers, boolean both) throws Exception {
        List<String> violations = new ArrayList<>();
        int rounds = 0;
        long tasks = 0;
        long notRunTotal = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_400);
        // 2.4 s of rounds, and at least 10 however slow the machine (each round is bounded; the timeout bounds all)
        while ((System.nanoTime() - end < 0 || rounds < 10) && violations.size() < 20) {
            boolean keyed = (rounds & 1) == 1;
            boolean now = both || (rounds & 2) == 0;
            boolean deadline = both || !now;
            boolean graceful = !both && !now && rounds % 8 == 6; // a full drain: stats must balance
            String round = "round " + rounds + " (" + workers + " workers, " + (keyed ? "keyed" : "unkeyed") + ", "
                    + (both ? "shutdownNow || shutdown(deadline)" : now ? "shutdownNow" : "shutdown(deadline)") + ")";
            WaitStrategy wait = (rounds & 4) == 0 ? WaitStrategy.SLEEPING : WaitStrategy.BLOCKING;
            rounds++;
            VelaRuntime rt = VelaRuntime.builder().config(VelaConfig.builder()
                    .set(Settings.EXECUTOR_WORKERS, workers)
                    .set(Settings.EXECUTOR_RING_SIZE, 512)
                    .set(Settings.EXECUTOR_WAIT_STRATEGY, wait)
                    .set(Settings.WATCHDOG_STALL_MS, 0L).build()).start();
            try {
                RingExecutor ex = rt.executor();
                Ledger ledger = new Ledger();
                Thread[] submitters = new Thread[2];
                for (int i = 0; i < submitters.length; i++) {
                    submitters[i] = new Thread(() -> {
                        while (ledger.submit(ex, keyed) || !ex.isShutdown()) {
                            if (ledger.nextId.get() >= Ledger.MAX) {
                                break;
                            }
                        }
                    }, "round2-submitter-" + i);
                    submitters[i].setDaemon(true);
                    submitters[i].start();
                }
                Thread.sleep(1 + ThreadLocalRandom.current().nextInt(15));
                AtomicReference<ShutdownReport> report = new AtomicReference<>();
                CountDownLatch go = new CountDownLatch(1);
                Thread deadlineCloser = null;
                if (deadline) {
                    Duration d = graceful ? Duration.ofSeconds(5)
                            : Duration.ofMillis(ThreadLocalRandom.current().nextInt(4));
                    deadlineCloser = new Thread(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        report.set(ex.shutdown(d));
                    }, "round2-deadline-closer");
                    deadlineCloser.setDaemon(true);
                    deadlineCloser.start();
                }
                go.countDown();
                List<Runnable> returned = List.of();
                if (now) {
                    returned = ex.shutdownNow();
                }
                if (deadlineCloser != null) {
                    deadlineCloser.join(5_000);
                }
                RUN_BY_CALLER_OF_SHUTDOWN_NOW.set(true);
                try {
                    returned.forEach(Runnable::run);
                } finally {
                    RUN_BY_CALLER_OF_SHUTDOWN_NOW.set(false);
                }
                for (Thread s : submitters) {
                    s.join(5_000);
                    if (s.isAlive()) {
                        ledger.violations.add(round + ": a submitter did not finish");
                    }
                }
                if (!ex.awaitTermination(5, TimeUnit.SECONDS)) {
                    ledger.violations.add(round + ": workers did not terminate");
                }
                int reported = deadline ? (report.get() == null ? -2 : (int) report.get().notRun()) : -1;
                int returnedCount = now ? returned.size() : -1;
                ledger.check(reported, returnedCount, ex.stats().rejected(), round);
                if (graceful) {
                    RingStats st = ex.stats();
                    if (!report.get().completed() || st.completed() != st.published()) {
                        ledger.violations.add(round + ": after a full drain " + report.get() + ", completed="
                                + st.completed() + " published=" + st.published());
                    }
                }
                tasks += Math.min(ledger.nextId.get(), Ledger.MAX);
                notRunTotal += Math.max(reported, 0) + Math.max(returnedCount, 0);
                violations.addAll(ledger.violations);
            } finally {
                rt.shutdown(Duration.ofMillis(200));
            }
        }
        System.out.printf("round2 stress%s, %d worker(s): %d rounds, %d tasks, %d returned or reported%n",
                both ? " (concurrent closers)" : "", workers, rounds, tasks, notRunTotal);
        assertThat(violations).as("%d rounds", rounds).isEmpty();
        assertThat(notRunTotal).as("tasks cut by the closers in %d rounds (the race was reached)", rounds).isPositive();
    }

    // ---- 6. scheduler().shutdownNow() while the timer thread is busy in a stall listener

    /**
     * shutdownNow() waits at most a second for the timer thread to cancel what is pending, then returns
     * {@code notRunAtClose}, still empty: the pending one-shot is neither returned nor cancelled (its future stays
     * incomplete), and the timer thread cancels it later, after the caller was told nothing was pending.
     */
    @Test
    @Timeout(10)
    void schedulerShutdownNowReturnsPendingTasksWhileTimerThreadIsBusy() throws Exception {
        CountDownLatch listenerEntered = new CountDownLatch(1);
        CountDownLatch listenerRelease = gate();
        VelaRuntime rt = start(VelaRuntime.builder()
                .config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                        .set(Settings.WATCHDOG_STALL_MS, 50L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())
                .stallListener((ring, worker, stuck) -> {
                    listenerEntered.countDown();
                    awaitIgnoringInterrupts(listenerRelease); // e.g. a listener that dumps to a slow sink
                }));
        ScheduledFuture<?> pending = rt.scheduler().schedule(() -> { }, 1, TimeUnit.HOURS);
        CountDownLatch taskRelease = gate();
        rt.executor().execute(() -> awaitIgnoringInterrupts(taskRelease));
        assertThat(listenerEntered.await(5, TimeUnit.SECONDS)).isTrue();
        List<Runnable> returned = rt.scheduler().shutdownNow();
        boolean done = pending.isDone();
        listenerRelease.countDown();
        taskRelease.countDown();
        assertThat(returned.size() + (done ? 1 : 0)).as("shutdownNow() returned %s; the pending one-shot's future "
                + "done: %s", returned, done).isEqualTo(1);
        assertThat(returned).hasSize(1);
    }

    // ---- 7. the executor's shutdown(deadline) overruns its deadline by the sweep's stability wait

    /**
     * shutdown(deadline) waits for the workers up to the whole deadline, then halts them and sweeps; the sweep's
     * stablePositions() parks at least 1 ms (up to 100 ms while positions move), and waits up to 1 s for a claimed,
     * unpublished slot, all after the deadline. So shutdown(d) (and the runtime's close, which hands the executor
     * the remaining time) always returns later than d when a task is stuck.
     */
    @Test
    @Timeout(10)
    void executorShutdownReturnsByItsDeadline() throws Exception {
        // the overrun this guards against is deterministic (at least the sweep's 1 ms park, every time); a busy
        // machine can delay any one shutdown by a scheduling quantum, so the best of five attempts is compared
        long deadlineNanos = TimeUnit.MILLISECONDS.toNanos(20);
        long best = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5; attempt++) {
            VelaRuntime rt = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2));
            RingExecutor ex = rt.executor();
            CountDownLatch release = gate();
            CountDownLatch started = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                ex.executeKeyed((long) i, () -> {
                    started.countDown();
                    awaitIgnoringInterrupts(release);
                });
            }
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 100; i++) {
                ex.execute(() -> { });
            }
            long t0 = System.nanoTime();
            ShutdownReport report = ex.shutdown(Duration.ofNanos(deadlineNanos));
            best = Math.min(best, System.nanoTime() - t0);
            assertThat(report.completed()).isFalse();
            release.countDown();
        }
        assertThat(best).as("shutdown(20 ms) took %.2f ms at best of 5", best / 1e6)
                .isLessThanOrEqualTo(deadlineNanos + TimeUnit.MILLISECONDS.toNanos(1));
    }

    // ---- 8. the blocking pool's executor(): futures of calls dropped at close never complete

    /**
     * blockingExecutor().submit() returns the pool's own FutureTask. When close() misses its deadline,
     * BlockingPool.shutdown() takes the dropped tasks from shutdownNow() and fails only its own Call futures; a
     * dropped FutureTask is counted as not run but never completed, so get() on it blocks for ever.
     */
    @Test
    @Timeout(10)
    void blockingExecutorFuturesCompleteWhenCloseDropsThem() throws Exception {
        VelaRuntime rt = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.BLOCKING_MAX_THREADS, 1).set(Settings.BLOCKING_BACKLOG, 8));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = gate();
        rt.blockingExecutor().execute(() -> {
            started.countDown();
            awaitIgnoringInterrupts(release);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        java.util.concurrent.Future<Integer> queued = rt.blockingExecutor().submit(() -> 1);
        List<ShutdownReport> reports = rt.shutdown(Duration.ofMillis(100));
        release.countDown();
        assertThat(reports).anyMatch(r -> r.name().equals("blocking") && r.notRun() == 1);
        Object outcome;
        try {
            outcome = queued.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException | CancellationException e) {
            outcome = e;
        } catch (java.util.concurrent.TimeoutException e) {
            outcome = null;
        }
        assertThat(outcome).as("the dropped call's future (reported as not run) completed").isNotNull();
    }

    // ---- 9. shutdown with "wait as long as it takes"

    /**
     * VelaRuntime.shutdown(Duration.ofMillis(Long.MAX_VALUE)) ("wait for everything"): deadline.toNanos() throws
     * ArithmeticException after the runtime marked itself closed, so nothing is stopped, every later close()
     * returns at once with no reports, and the executor and timer threads run for ever.
     */
    @Test
    @Timeout(10)
    void shutdownWithAnUnboundedDeadlineStopsTheRuntime() throws Exception {
        VelaRuntime rt = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1));
        AtomicInteger ran = new AtomicInteger();
        rt.executor().execute(ran::incrementAndGet);
        Throwable thrown = null;
        try {
            rt.shutdown(Duration.ofMillis(Long.MAX_VALUE));
        } catch (Throwable t) {
            thrown = t;
        }
        rt.close(); // a second close: waits for the first, or does nothing
        assertThat(thrown).as("shutdown(Long.MAX_VALUE ms) threw").isNull();
        assertThat(rt.executor().isTerminated()).as("executor terminated after shutdown and close").isTrue();
        assertThat(rt.scheduler().isTerminated()).as("timer terminated after shutdown and close").isTrue();
    }

    // ---- 10. the executor's shutdown report fails only the futures it made itself

    /**
     * A one-shot timer that fired (handed to the executor with offer(), as a plain Runnable) but sits behind a
     * stuck task: close() stops the timer first (the task is no longer the timer's), then the executor's sweep
     * reports it as not run, but completes only {@code slot.future}, which is null for it. The ScheduledFuture is
     * the TimerTask itself and never completes.
     */
    @Test
    @Timeout(10)
    void firedTimerFutureCompletesWhenCloseReportsItNotRun() throws Exception {
        VelaRuntime rt = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = gate();
        rt.executor().execute(() -> {
            started.countDown();
            awaitIgnoringInterrupts(release);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        ScheduledFuture<?> timer = rt.scheduler().schedule(() -> { }, 0, TimeUnit.NANOSECONDS);
        awaitUntil("the timer to fire into the executor", () -> ((RingStats) rt.scheduler()).completed() == 1);
        List<ShutdownReport> reports = rt.shutdown(Duration.ofMillis(200));
        boolean done = timer.isDone();
        release.countDown();
        assertThat(reports).anyMatch(r -> r.name().equals("executor") && r.notRun() == 1);
        assertThat(done).as("the fired timer's future after close() reported it as not run").isTrue();
    }

    /**
     * invokeAll() (inherited from AbstractExecutorService) wraps each call in a FutureTask and execute()s it; when
     * shutdown(deadline) reports them as not run, nothing completes those FutureTasks, so invokeAll() blocks for
     * ever although the executor has terminated.
     */
    @Test
    @Timeout(10)
    void invokeAllReturnsWhenShutdownReportsItsTasksNotRun() throws Exception {
        VelaRuntime rt = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1));
        RingExecutor ex = rt.executor();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = gate();
        ex.execute(() -> {
            started.countDown();
            awaitIgnoringInterrupts(release);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Object> invoked = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                invoked.complete(ex.invokeAll(List.of(() -> 1, () -> 2)));
            } catch (Throwable t) {
                invoked.complete(t);
            }
        }, "round2-invokeAll");
        caller.setDaemon(true);
        caller.start();
        awaitUntil("invokeAll to publish its tasks", () -> ex.stats().published() == 3);
        ShutdownReport report = ex.shutdown(Duration.ofMillis(100));
        release.countDown();
        assertThat(ex.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(report.notRun()).isEqualTo(2);
        caller.join(2_000);
        boolean returned = invoked.isDone();
        caller.interrupt();
        assertThat(returned).as("invokeAll() returned (or threw) after shutdown(deadline) reported its tasks")
                .isTrue();
    }

    // ---- 11. a publisher descheduled between its claim and its publish: the sweep waits a second past the deadline

    private VelaRuntime startOneSleepingWorker() {
        VelaRuntime rt = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.SLEEPING).set(Settings.EXECUTOR_RING_SIZE, 1 << 16)
                .set(Settings.WATCHDOG_STALL_MS, 0L).build()).start();
        runtimes.add(rt);
        return rt;
    }

    /**
     * Suspends {@code publisher} at random moments until a probe submitted after it does not run: the publisher then
     * holds a claimed, unpublished slot. Resumes it after every miss.
     *
     * @return the probe that did not run (the publisher is left suspended), or null if none was caught by {@code end}
     */
    @SuppressWarnings({"deprecation", "removal"})
    static CountDownLatch catchMidPublish(RingExecutor ex, Thread publisher, long end, AtomicInteger attempts)
            throws InterruptedException {
        Thread.sleep(20);
        for (int i = 0; i < 200 && System.nanoTime() - end < 0; i++) {
            attempts.incrementAndGet();
            Thread.sleep(0, 1000 + ThreadLocalRandom.current().nextInt(50_000));
            publisher.suspend();
            CountDownLatch probe = new CountDownLatch(1);
            ex.execute(probe::countDown);
            if (!probe.await(30, TimeUnit.MILLISECONDS)) {
                return probe;
            }
            publisher.resume();
        }
        return null;
    }

    /**
     * Suspends (JDK 17 Thread.suspend, as a descheduled or stopped thread would be) a submitter until it is caught
     * between its ring claim and its publish (a probe submitted afterwards does not run). shutdown(50 ms) then halts
     * and sweeps; before its fix the sweep waited up to a second for that slot, overrunning the deadline.
     */
    @Test
    @Timeout(20)
    @EnabledForJreRange(max = JRE.JAVA_19) // Thread.suspend, the only way to stop a publisher mid-publish, is gone
    @SuppressWarnings({"deprecation", "removal"})
    void shutdownKeepsItsDeadlineWithAPublisherStoppedMidPublish() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        AtomicInteger attempts = new AtomicInteger();
        while (System.nanoTime() - end < 0) {
            VelaRuntime rt = startOneSleepingWorker();
            RingExecutor ex = rt.executor();
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger accepted = new AtomicInteger();
            Runnable noop = ran::incrementAndGet;
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread publisher = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        ex.execute(noop);
                        accepted.incrementAndGet();
                    }
                } catch (RejectedExecutionException e) {
                    // closed
                }
            }, "round2-suspended-publisher");
            publisher.setDaemon(true);
            publisher.start();
            CountDownLatch probe = catchMidPublish(ex, publisher, end, attempts);
            if (probe == null) {
                stop.set(true);
                publisher.resume();
                rt.shutdown(Duration.ofMillis(200));
                continue;
            }
            long t0 = System.nanoTime();
            ShutdownReport report = ex.shutdown(Duration.ofMillis(50));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            stop.set(true);
            publisher.resume();
            assertThat(tookMs).as("shutdown(50 ms) with a publisher stopped between claim and publish (after %d "
                    + "attempts): %s", attempts.get(), report).isLessThan(500); // the overrun it guards against: 1 s
            publisher.join(5_000);
            assertThat(publisher.isAlive()).isFalse();
            // the report counts accepted tasks that did not run: the publisher's (its stopped one is refused when it
            // resumes, as the sweep gave up on its slot) and the probe stuck behind that slot
            long acceptedNotRun = accepted.get() - ran.get() + probe.getCount();
            assertThat(report.notRun()).as("accepted tasks not run (%s)", report).isEqualTo(acceptedNotRun);
            return;
        }
        System.out.println("round2: no publisher caught between claim and publish in " + attempts.get()
                + " attempts");
    }

    /**
     * The same stopped publisher, with shutdownNow(). Before its fix the sweep gave up on the unpublished slot after a
     * second and returned a no-op placeholder for it: an item for a task that was then refused. Now the slot is
     * counted as unknown and nothing is returned for it. A publisher stopped after it read {@code closed} as false
     * had its task accepted and never run (its future never completed) until the publisher learnt to re-read
     * {@code closed} after publishing and withdraw a slot the sweep gave up on: the test keeps catching publishers for
     * its whole time, so that both windows (before and after that read) are caught in most runs.
     */
    @Test
    @Timeout(20)
    @EnabledForJreRange(max = JRE.JAVA_19) // Thread.suspend, the only way to stop a publisher mid-publish, is gone
    @SuppressWarnings({"deprecation", "removal"})
    void shutdownNowReturnsTheTaskOfAPublisherStoppedMidPublish() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        AtomicInteger attempts = new AtomicInteger();
        int caught = 0;
        int refusedAfterResume = 0;
        while (System.nanoTime() - end < 0) {
            VelaRuntime rt = startOneSleepingWorker();
            RingExecutor ex = rt.executor();
            AtomicInteger runByCaller = new AtomicInteger();
            java.util.concurrent.Callable<Integer> task = () -> {
                if (RUN_BY_CALLER_OF_SHUTDOWN_NOW.get()) {
                    runByCaller.incrementAndGet();
                }
                return 1;
            };
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            AtomicInteger refusals = new AtomicInteger();
            Thread publisher = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        futures.add(ex.submit(task));
                    } catch (RejectedExecutionException e) {
                        refusals.incrementAndGet();
                        return;
                    }
                }
            }, "round2-suspended-publisher");
            publisher.setDaemon(true);
            publisher.start();
            CountDownLatch probe = catchMidPublish(ex, publisher, end, attempts);
            if (probe == null) {
                stop.set(true);
                publisher.resume();
                rt.shutdown(Duration.ofMillis(200));
                continue;
            }
            List<Runnable> returned = ex.shutdownNow();
            stop.set(true);
            publisher.resume();
            publisher.join(5_000);
            RUN_BY_CALLER_OF_SHUTDOWN_NOW.set(true);
            try {
                returned.forEach(Runnable::run);
            } finally {
                RUN_BY_CALLER_OF_SHUTDOWN_NOW.set(false);
            }
            assertThat(ex.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            long incomplete = futures.stream().filter(f -> !f.isDone()).count();
            int effective = runByCaller.get() + (probe.getCount() == 0 ? 1 : 0);
            assertThat(incomplete).as("accepted submit() futures never completed after running all %d tasks "
                    + "shutdownNow() returned (after %d attempts)", returned.size(), attempts.get()).isZero();
            assertThat(effective).as("of %d tasks shutdownNow() returned, %d ran an accepted task (publisher refused "
                    + "%d)", returned.size(), effective, refusals.get()).isEqualTo(returned.size());
            caught++;
            refusedAfterResume += refusals.get();
        }
        System.out.println("round2: caught a publisher between claim and publish " + caught + " time(s) in "
                + attempts.get() + " attempts; refused after resuming: " + refusedAfterResume);
    }

    // ---- 12. (passes) a thread factory failing part-way leaves no thread running

    @ParameterizedTest(name = "factory fails at thread {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    @Timeout(10)
    void threadFactoryFailurePartWayLeaksNoThread(int failAt) throws Exception {
        List<Thread> made = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger count = new AtomicInteger();
        Throwable thrown = null;
        try {
            VelaRuntime rt = VelaRuntime.builder()
                    .config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 3).build())
                    .threadFactory(r -> {
                        if (count.incrementAndGet() == failAt) {
                            throw new IllegalStateException("factory refuses thread " + failAt);
                        }
                        Thread t = new Thread(r);
                        t.setDaemon(true);
                        made.add(t);
                        return t;
                    }).start();
            runtimes.add(rt);
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).isInstanceOf(IllegalStateException.class);
        for (Thread t : made) {
            t.join(2_000);
        }
        assertThat(made).as("threads still alive after the constructor failed").noneMatch(Thread::isAlive);
    }
}
