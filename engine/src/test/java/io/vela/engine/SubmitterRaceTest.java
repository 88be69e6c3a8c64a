package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races lane submitters ({@link TaskSubmitter}) against {@code close}, {@code shutdownNow} and a shutdown whose
 * deadline passes, round after round, and accounts for every task: each one ran exactly once (on a worker, on the
 * caller, or after {@code shutdownNow} returned it), or was refused, or was reported by the shutdown as not run —
 * and the number reported is the number that never ran.
 */
class SubmitterRaceTest {
    private static final int PER_THREAD = 5_000;

    @Test
    void closeRacingLaneSubmittersLosesNothing() throws Exception {
        race(TimeUnit.SECONDS.toNanos(5), 120);
    }

    @Test
    @Tag("slow")
    @Timeout(180)
    void closeRacingLaneSubmittersLosesNothingForFortySeconds() throws Exception {
        race(TimeUnit.SECONDS.toNanos(40), 600);
    }

    private static void race(long budgetNanos, int minRounds) throws Exception {
        long end = System.nanoTime() + budgetNanos;
        int rounds = 0;
        long totalRan = 0;
        long totalRefused = 0;
        long totalReported = 0;
        OverflowPolicy[] policies = {OverflowPolicy.BLOCK, OverflowPolicy.FAIL_FAST, OverflowPolicy.CALLER_RUNS};
        WaitStrategy[] waits = {WaitStrategy.LITE_BLOCKING, WaitStrategy.BLOCKING, WaitStrategy.SLEEPING,
                WaitStrategy.YIELDING}; // yielding: the worker pauses behind streaming lanes (ADR 0017) most often
        while (System.nanoTime() < end || rounds < minRounds) {
            OverflowPolicy policy = policies[rounds % policies.length];
            int workers = 1 + rounds % 3;
            int mode = rounds % 3; // 0: close, 1: shutdownNow, 2: a shutdown whose deadline may pass
            VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, workers)
                    .set(Settings.EXECUTOR_RING_SIZE, 64).set(Settings.EXECUTOR_LANE_SIZE, 32)
                    .set(Settings.EXECUTOR_OVERFLOW, policy)
                    .set(Settings.EXECUTOR_WAIT_STRATEGY, waits[(rounds / 3) % waits.length]).build());
            RingExecutor ex = rt.executor();
            int submitters = 3;
            LongAdder attempted = new LongAdder();
            LongAdder refused = new LongAdder();
            long[] runs = new long[submitters * PER_THREAD];
            CountDownLatch go = new CountDownLatch(1);
            Thread[] threads = new Thread[submitters];
            AtomicReference<Throwable> helperFailure = new AtomicReference<>();
            for (int s = 0; s < submitters; s++) {
                int base = s * PER_THREAD;
                threads[s] = new Thread(() -> submitAll(ex, go, base, runs, attempted, refused));
                threads[s].setUncaughtExceptionHandler((t, e) -> helperFailure.compareAndSet(null, e));
                threads[s].start();
            }
            go.countDown();
            if (rounds % 2 == 1) {
                Thread.yield();
            }
            List<Runnable> returned = List.of();
            long reported = 0;
            if (mode == 1) {
                returned = ex.shutdownNow();
                assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            } else {
                List<ShutdownReport> reports = rt.shutdown(Duration.ofMillis(mode == 0 ? 10_000 : 1));
                for (ShutdownReport r : reports) {
                    reported += r.notRun();
                }
                if (mode == 0) {
                    assertThat(reports).allMatch(ShutdownReport::completed);
                }
            }
            for (Thread t : threads) {
                t.join(10_000);
                assertThat(t.isAlive()).as("submitter thread ended").isFalse();
            }
            assertThat(helperFailure.get()).as("a submitter thread failed").isNull();
            assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            returned.forEach(Runnable::run);
            rt.close();
            long ran = 0;
            long never = 0;
            synchronized (runs) {
                for (int id = 0; id < runs.length; id++) {
                    assertThat(runs[id]).as("round %d (%s, %d workers, mode %d): task %d ran at most once, or was "
                            + "refused once and never ran", rounds, policy, workers, mode, id).isIn(0L, 1L, 100L);
                    if (runs[id] == 1) {
                        ran++;
                    } else if (runs[id] == 0) {
                        never++;
                    }
                }
            }
            assertThat(never).as("round %d (%s, %d workers, mode %d): accepted tasks that never ran are those the "
                    + "shutdown reported", rounds, policy, workers, mode).isEqualTo(reported);
            assertThat(ran + refused.sum() + reported).isEqualTo(attempted.sum());
            totalRan += ran;
            totalRefused += refused.sum();
            totalReported += reported;
            rounds++;
        }
        assertThat(totalRan).isPositive();
        assertThat(totalRefused).isPositive();
        assertThat(totalReported).isGreaterThanOrEqualTo(0);
    }

    /** Submits {@link #PER_THREAD} tasks through this thread's own submitter, mixing the submission kinds. */
    private static void submitAll(RingExecutor ex, CountDownLatch go, int base, long[] runs, LongAdder attempted,
            LongAdder refused) {
        Blocker.awaitQuietly(go);
        TaskSubmitter s;
        try {
            s = ex.newSubmitter();
        } catch (RingClosedException e) {
            markRefused(base, 0, runs, attempted, refused);
            return;
        }
        try (s) {
            for (int i = 0; i < PER_THREAD; i++) {
                int id = base + i;
                attempted.increment();
                Runnable task = () -> {
                    synchronized (runs) {
                        runs[id]++;
                    }
                };
                boolean accepted = true;
                try {
                    switch (id % 5) {
                        case 0 -> s.executeKeyed(id % 7, task);
                        case 1 -> accepted = s.tryExecute(task) == OfferResult.ACCEPTED;
                        case 2 -> s.submit(() -> {
                            task.run();
                            return id;
                        });
                        case 3 -> accepted = s.tryExecuteAll(new Runnable[] {task}, 0, 1) == 1;
                        default -> s.execute(task);
                    }
                } catch (RingRejectedException e) {
                    accepted = false;
                }
                if (!accepted) {
                    refused.increment();
                    synchronized (runs) {
                        runs[id] += 100;
                    }
                    if (ex.isShutdown()) {
                        markRefused(base, i + 1, runs, attempted, refused);
                        return;
                    }
                }
            }
        }
    }

    /** Every later attempt of this thread would be refused too: counts them as such without making them. */
    private static void markRefused(int base, int from, long[] runs, LongAdder attempted, LongAdder refused) {
        for (int j = from; j < PER_THREAD; j++) {
            attempted.increment();
            refused.increment();
            synchronized (runs) {
                runs[base + j] += 100;
            }
        }
    }
}
