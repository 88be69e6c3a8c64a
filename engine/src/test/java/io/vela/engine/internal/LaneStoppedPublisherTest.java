package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.RingExecutor;
import io.vela.engine.Settings;
import io.vela.engine.TaskSubmitter;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * A lane's owner stopped (JDK 17 {@code Thread.suspend}, as a descheduled thread would be) between announcing its
 * claim and publishing it, for longer than {@code shutdownNow}'s sweep waits (ADR 0006, ADR 0015): its task must be
 * either refused or accepted and then run (by the worker, or through {@code shutdownNow}'s list) — never accepted and
 * left unrun, never run although refused, never run twice.
 */
class LaneStoppedPublisherTest {
    /** Task ids are bits of this set: a task that runs sets its bit; a bit set twice is a task run twice. */
    private static final int MAX_TASKS = 1 << 24;

    /** An owner stopped mid-{@code submit}: its future completes, or its call is refused and the task never runs. */
    @Test
    @Timeout(40)
    @EnabledForJreRange(max = JRE.JAVA_19) // Thread.suspend, the only way to stop a publisher mid-publish, is gone
    void shutdownNowAccountsForTheTaskOfALaneOwnerStoppedMidPublish() throws Exception {
        runScenario("submit");
    }

    /**
     * An owner stopped mid-{@code tryExecuteAll}: the batch's accepted prefix runs once, the refused rest never (the
     * sweep may have taken the slots filled before it gave up; the owner withdraws the others).
     */
    @Test
    @Timeout(40)
    @EnabledForJreRange(max = JRE.JAVA_19)
    void shutdownNowAccountsForTheBatchOfALaneOwnerStoppedMidPublish() throws Exception {
        runScenario("batch");
    }

    /**
     * Runs {@link #main} in a JVM of its own where {@code LaneSubmitter} stays interpreted: compiled, its publish is
     * one straight run of inlined code with no safepoint in it, so {@code Thread.suspend} (which stops a thread at a
     * safepoint) could never stop the owner between its claim and its publish.
     */
    private static void runScenario(String mode) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx256m", "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=exclude,io.vela.engine.internal.LaneSubmitter::*",
                "-cp", System.getProperty("java.class.path"), LaneStoppedPublisherTest.class.getName(), mode));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        System.out.println(out);
        assertThat(p.exitValue()).as("the scenario's JVM said:%n%s", out).isZero();
        assertThat(out).contains("caught");
    }

    /** The scenario: exits 0 when every round passed, 1 with the failure printed otherwise. */
    @SuppressWarnings({"deprecation", "removal"})
    public static void main(String[] args) {
        try {
            scenario(args.length > 0 && args[0].equals("batch"));
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void scenario(boolean batch) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int caught = 0;
        int attempts = 0;
        while (caught < 3 && System.nanoTime() - end < 0) {
            VelaRuntime rt = VelaRuntime.builder().config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                    .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.SLEEPING)
                    .set(Settings.WATCHDOG_STALL_MS, 0L).build()).start();
            try {
                RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
                Round round = new Round(ex, batch);
                round.publisher.start();
                SubmitterLane lane = round.awaitLane();
                Thread.sleep(10);
                boolean hit = false;
                for (int i = 0; i < 300 && !hit && System.nanoTime() - end < 0; i++) {
                    attempts++;
                    Thread.sleep(0, 1000 + ThreadLocalRandom.current().nextInt(50_000));
                    round.publisher.suspend();
                    long last = lane.lastClaimed.get();
                    // claimed and announced, neither stamped nor published: the window the sweep gives up on
                    hit = last > lane.ring.getCursor() && !lane.isFilled(last) && !ex.isShutdown();
                    if (!hit) {
                        round.publisher.resume();
                    }
                }
                if (!hit) {
                    round.stop.set(true);
                    round.publisher.resume();
                    continue;
                }
                caught++;
                List<Runnable> returned = ex.shutdownNow();
                round.stop.set(true);
                round.publisher.resume();
                round.publisher.join(5_000);
                assertThat(round.publisher.isAlive()).isFalse();
                assertThat(round.failure.get()).isNull();
                returned.forEach(Runnable::run);
                assertThat(ex.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
                round.check(returned.size(), attempts);
            } finally {
                rt.close();
            }
        }
        assertThat(caught).as("caught a lane owner between its claim and its stamp (%d attempts)", attempts)
                .isPositive();
        System.out.println("caught a lane owner mid-publish " + caught + " time(s) in " + attempts + " attempts");
    }

    /** One executor's publisher: submits numbered tasks on its own lane until refused or stopped. */
    private static final class Round {
        final AtomicLongArray ran = new AtomicLongArray(MAX_TASKS / 64);
        final AtomicInteger ranTwice = new AtomicInteger();
        final AtomicLong runs = new AtomicLong();
        final List<CompletableFuture<Integer>> futures = new ArrayList<>();
        /** Tasks refused (their bits): none of them may run. */
        final AtomicLongArray refused = new AtomicLongArray(MAX_TASKS / 64);
        final AtomicLong accepted = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<SubmitterLane> lane = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread publisher;

        Round(RingExecutorImpl ex, boolean batch) {
            publisher = new Thread(() -> {
                try (TaskSubmitter s = ex.newSubmitter()) {
                    lane.set(ex.lanes()[0]);
                    if (batch) {
                        publishBatches(s);
                    } else {
                        submitEach(s);
                    }
                } catch (RuntimeException | Error e) {
                    failure.set(e);
                }
            }, "lane-suspended-publisher");
            publisher.setDaemon(true);
        }

        private void submitEach(TaskSubmitter s) {
            for (int id = 0; id < MAX_TASKS && !stop.get(); id++) {
                int taskId = id;
                try {
                    futures.add(s.submit(() -> {
                        mark(ran, taskId);
                        return taskId;
                    }));
                    accepted.incrementAndGet();
                } catch (RejectedExecutionException e) {
                    mark(refused, taskId);
                    return;
                }
            }
        }

        private void publishBatches(TaskSubmitter s) {
            Runnable[] tasks = new Runnable[8];
            for (int id = 0; id + tasks.length <= MAX_TASKS && !stop.get(); id += tasks.length) {
                for (int k = 0; k < tasks.length; k++) {
                    int taskId = id + k;
                    tasks[k] = () -> mark(ran, taskId);
                }
                int n = s.tryExecuteAll(tasks, 0, tasks.length);
                accepted.addAndGet(n);
                for (int k = n; k < tasks.length; k++) {
                    mark(refused, id + k);
                }
            }
        }

        SubmitterLane awaitLane() throws InterruptedException {
            while (lane.get() == null) {
                Thread.sleep(1);
            }
            return lane.get();
        }

        /** Sets bit {@code id} of {@code set}; {@code ran} counts runs, and bits set twice. */
        void mark(AtomicLongArray set, int id) {
            if (set == ran) {
                runs.incrementAndGet();
            }
            long bit = 1L << (id & 63);
            if ((set.getAndAccumulate(id >>> 6, bit, (a, b) -> a | b) & bit) != 0 && set == ran) {
                ranTwice.incrementAndGet();
            }
        }

        void check(int returned, int attempts) {
            long incomplete = futures.stream().filter(f -> !f.isDone()).count();
            assertThat(incomplete).as("accepted submit() futures never completed after running the %d task(s) "
                    + "shutdownNow() returned (after %d attempts)", returned, attempts).isZero();
            assertThat(ranTwice).as("tasks run twice").hasValue(0);
            assertThat(runs.get()).as("tasks run against tasks accepted").isEqualTo(accepted.get());
            for (int i = 0; i < MAX_TASKS / 64; i++) {
                long both = ran.get(i) & refused.get(i);
                assertThat(both).as("tasks refused, yet run: bits %s of word %d", Long.toBinaryString(both), i)
                        .isZero();
            }
        }
    }
}
