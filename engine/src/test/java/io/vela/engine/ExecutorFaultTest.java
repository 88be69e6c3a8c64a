package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults a user's task or key can inject into the ring executor. Each test accounts for every task (ran once, or
 * refused, or reported by the shutdown) and, where it closes, checks that {@code close()} kept its deadline.
 */
class ExecutorFaultTest {
    private VelaRuntime runtime;

    private RingExecutor start(VelaConfig.Builder config) {
        runtime = VelaRuntime.start(config.build());
        return runtime.executor();
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.shutdown(Duration.ofSeconds(2));
        }
    }

    /** A key whose {@code hashCode} throws. */
    private static final Object BAD_KEY = new Object() {
        @Override
        public int hashCode() {
            throw new IllegalStateException("hashCode of a bad key");
        }
    };

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void badKeysAreRefusedBeforeAnySlotIsClaimed(int workers) {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, workers)
                .set(Settings.EXECUTOR_RING_SIZE, 8));
        for (int i = 0; i < 20; i++) { // more than the ring holds: a leaked claim would wedge it
            assertThatThrownBy(() -> ex.submitKeyed(null, () -> 1)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("key");
            assertThatThrownBy(() -> ex.submitKeyed(BAD_KEY, () -> 1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> ex.executeKeyed((Object) null, () -> { }))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ex.executeKeyed(BAD_KEY, () -> { })).isInstanceOf(IllegalStateException.class);
        }
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            ex.executeKeyed("key-" + (i % 5), ran::incrementAndGet);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 100);
        assertThat(ex.stats().published()).isEqualTo(100);
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "LITE_BLOCKING", "TIMEOUT_BLOCKING", "SLEEPING",
            "YIELDING", "PHASED_BACKOFF"})
    void aTaskThatRestoresItsInterruptFlagStopsNoWorker(WaitStrategy wait) throws Exception {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2)
                .set(Settings.EXECUTOR_RING_SIZE, 16).set(Settings.EXECUTOR_WAIT_STRATEGY, wait));
        AtomicInteger startedInterrupted = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        int rounds = 5;
        int perRound = 40; // keyed over both workers, more than the ring holds in total
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 2; k++) {
                ex.executeKeyed(k, () -> {
                    try {
                        Thread.sleep(0, 1);
                        Thread.currentThread().interrupt(); // as if a blocking call had been interrupted
                        throw new InterruptedException("simulated");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // the standard idiom
                    }
                });
            }
            for (int i = 0; i < perRound; i++) {
                ex.executeKeyed(i, () -> {
                    if (Thread.currentThread().isInterrupted()) {
                        startedInterrupted.incrementAndGet();
                    }
                    ran.incrementAndGet();
                });
            }
            int expected = (round + 1) * perRound;
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == expected);
            Thread.sleep(20); // let the workers go idle in their wait strategy with the flag restored
        }
        assertThat(startedInterrupted).as("tasks that started with a previous task's interrupt").hasValue(0);
        ShutdownReport report = ex.shutdown(Duration.ofSeconds(5));
        assertThat(report.completed()).isTrue();
        assertThat(ex.stats().completed()).isEqualTo(ex.stats().published());
    }

    @Test
    void aStrayInterruptOfAnIdleWorkerStopsNothing() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        runtime = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING).build())
                .threadFactory(r -> {
                    Thread t = new Thread(r);
                    t.setDaemon(true);
                    threads.add(t);
                    return t;
                }).start();
        RingExecutor ex = runtime.executor();
        assertThat(ex.submit(() -> 1).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        Thread.sleep(20);
        for (Thread t : threads) {
            if (t.getName().contains("executor")) {
                t.interrupt();
            }
        }
        Thread.sleep(20);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            ex.executeKeyed(i, ran::incrementAndGet);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 1000);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void aWorkerSubmittingIntoItsOwnFullRingNeverDeadlocks(int workers) throws Exception {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, workers)
                .set(Settings.EXECUTOR_RING_SIZE, 8).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK));
        AtomicInteger children = new AtomicInteger();
        AtomicInteger keyedAccepted = new AtomicInteger();
        AtomicInteger keyedRan = new AtomicInteger();
        AtomicInteger keyedRefused = new AtomicInteger();
        CompletableFuture<String> parent = ex.submit(() -> {
            for (int i = 0; i < 100; i++) { // far more than the ring holds, while this task holds its worker
                ex.execute(children::incrementAndGet);
            }
            for (int i = 0; i < 100; i++) {
                try {
                    ex.executeKeyed(i, keyedRan::incrementAndGet);
                    keyedAccepted.incrementAndGet();
                } catch (RingFullException e) {
                    assertThat(e.result()).isEqualTo(OfferResult.FULL);
                    keyedRefused.incrementAndGet();
                }
            }
            return "done";
        });
        assertThat(parent.get(10, TimeUnit.SECONDS)).isEqualTo("done");
        await().atMost(Duration.ofSeconds(10)).until(() -> children.get() == 100
                && keyedRan.get() == keyedAccepted.get());
        assertThat(keyedAccepted.get() + keyedRefused.get()).isEqualTo(100);
        ShutdownReport report = ex.shutdown(Duration.ofSeconds(5));
        assertThat(report.completed()).isTrue();
        assertThat(keyedRan.get()).isEqualTo(keyedAccepted.get());
    }

    @Test
    void recursiveInlineRunsAreBounded() throws Exception {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 4));
        AtomicInteger depth = new AtomicInteger();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        class Recurse implements Runnable {
            @Override
            public void run() {
                depth.incrementAndGet();
                try {
                    ex.execute(this); // the ring stays full: each nested submit runs inline
                } catch (RingFullException e) {
                    refused.compareAndSet(null, e);
                }
            }
        }
        Future<?> parent = ex.submit(() -> {
            while (ex.tryExecute(() -> { }) == OfferResult.ACCEPTED) {
                // fill the ring: this worker's own progress gates it, so it stays full while this task runs
            }
            new Recurse().run();
        });
        parent.get(10, TimeUnit.SECONDS);
        assertThat(refused.get()).isNotNull().hasMessageContaining("nested tasks inline");
        assertThat(depth.get()).isBetween(2, 64);
    }

    @Test
    void callerRunsFailuresAreCountedAndReported() {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        runtime = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 2).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.CALLER_RUNS)
                .build()).errorHandler((ring, task, error) -> errors.add(error)).start();
        RingExecutor ex = runtime.executor();
        CountDownLatch release = new CountDownLatch(1);
        ex.execute(() -> Blocker.awaitQuietly(release));
        ex.execute(() -> { });
        ex.execute(() -> { });
        String caller = Thread.currentThread().getName();
        AtomicReference<String> ranOn = new AtomicReference<>();
        ex.execute(() -> {
            ranOn.set(Thread.currentThread().getName());
            throw new IllegalStateException("caller-run task fails");
        });
        CompletableFuture<Object> f = ex.submit(() -> {
            throw new IllegalArgumentException("caller-run callable fails");
        });
        assertThat(ranOn.get()).isEqualTo(caller);
        assertThat(f).isCompletedExceptionally();
        assertThat(errors).hasSize(1).first().isInstanceOf(IllegalStateException.class);
        assertThat(ex.stats().failed()).isEqualTo(2);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ex.stats().completed() == ex.stats().published());
    }

    @Test
    void tryExecuteNeverWaitsAndSaysWhy() throws Exception {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 4).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK));
        CountDownLatch release = Blocker.occupyWorker(ex);
        AtomicInteger ran = new AtomicInteger();
        int accepted = 0;
        OfferResult last = OfferResult.ACCEPTED;
        for (int i = 0; i < 10 && last == OfferResult.ACCEPTED; i++) {
            last = i % 2 == 0 ? ex.tryExecute(ran::incrementAndGet) : ex.tryExecuteKeyed(i, ran::incrementAndGet);
            if (last.accepted()) {
                accepted++;
            }
        }
        assertThat(last).isEqualTo(OfferResult.FULL);
        release.countDown();
        int expected = accepted;
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == expected);
        ex.shutdown(Duration.ofSeconds(5));
        assertThat(ex.tryExecute(ran::incrementAndGet)).isEqualTo(OfferResult.CLOSED);
        assertThatThrownBy(() -> ex.execute(() -> { })).isInstanceOfSatisfying(RingRejectedException.class,
                e -> assertThat(e.result()).isEqualTo(OfferResult.CLOSED));
    }

    @Test
    void anInterruptEndsASubmittersWaitOnAFullRing() throws Exception {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 2).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.BLOCK));
        CountDownLatch release = Blocker.occupyWorker(ex);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread submitter = new Thread(() -> {
            try {
                for (int i = 0; i < 10; i++) {
                    ex.execute(() -> { });
                }
                outcome.complete(null);
            } catch (Throwable t) {
                flagKept.set(Thread.currentThread().isInterrupted());
                outcome.complete(t);
            }
        });
        submitter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> ex.stats().remainingCapacity() == 0);
        Thread.sleep(20);
        submitter.interrupt();
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(RingFullException.class)
                .hasMessageContaining("interrupted");
        assertThat(flagKept).isTrue();
        release.countDown();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void closeKeepsItsDeadlineWithAStuckTaskAndReportsWhatDidNotRun(boolean taskHonoursInterrupt)
            throws Exception {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2)
                .set(Settings.EXECUTOR_RING_SIZE, 64).set(Settings.SHUTDOWN_DEADLINE_MS, 300L));
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        long keyOfStuck = 1;
        ex.executeKeyed(keyOfStuck, () -> {
            started.countDown();
            while (!stop.get()) {
                if (Thread.currentThread().isInterrupted()) {
                    interrupted.set(true);
                    if (taskHonoursInterrupt) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicInteger behind = new AtomicInteger();
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(ex.submitKeyed(keyOfStuck, () -> behind.incrementAndGet()));
        }
        long t0 = System.nanoTime();
        runtime.close();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(tookMs).as("close() within its 300 ms deadline").isLessThan(300 + 500);
        ShutdownReport exec = runtime.shutdownReports().stream().filter(r -> r.name().equals("executor"))
                .findFirst().orElseThrow();
        assertThat(exec.completed()).isFalse();
        await().atMost(Duration.ofSeconds(2)).untilTrue(interrupted);
        stop.set(true);
        // every task behind the stuck one is accounted for: run by the worker once it got free, or reported,
        // and reported ones have their futures failed with RingClosedException
        await().atMost(Duration.ofSeconds(5)).until(() -> futures.stream().allMatch(CompletableFuture::isDone));
        int failed = 0;
        for (CompletableFuture<Integer> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(RingClosedException.class);
                failed++;
            }
        }
        assertThat(failed + behind.get()).isEqualTo(10);
        assertThat(exec.notRun()).isEqualTo(10);
    }

    @Test
    void fourWorkersKeepPerKeyOrderUnderRacingSubmitters() throws Exception {
        RingExecutor ex = start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 4)
                .set(Settings.EXECUTOR_RING_SIZE, 256).set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.SLEEPING));
        int keys = 16;
        int perSubmitter = 20_000;
        int submitters = 2;
        AtomicIntegerArray last = new AtomicIntegerArray(keys * submitters);
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int sub = s;
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    int key = i % keys;
                    int slot = sub * keys + key;
                    int seq = i / keys;
                    ex.executeKeyed(key, () -> {
                        if (last.getAndSet(slot, seq + 1) != seq) {
                            outOfOrder.incrementAndGet();
                        }
                        ran.incrementAndGet();
                    });
                }
            }));
        }
        CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> ran.get() == perSubmitter * submitters);
        assertThat(outOfOrder).hasValue(0);
    }
}
