package io.vela.engine.counters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vela.engine.ComponentStats;
import io.vela.engine.RingRejectedException;
import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The counters file across close, and what user code given to it can do. */
@Timeout(30)
class CountersLifecycleTest {
    @TempDir
    Path dir;

    private VelaConfig.Builder config() {
        return VelaConfig.builder().set(Settings.COUNTERS_DIR, dir.toString()).set(Settings.EXECUTOR_WORKERS, 2)
                .set(Settings.EXECUTOR_RING_SIZE, 256).set(Settings.COUNTERS_SAMPLE_MS, 5L)
                .set(Settings.SHUTDOWN_DEADLINE_MS, 2_000L);
    }

    /**
     * Two threads send while the runtime closes: every task they were told was accepted is counted completed in
     * the counters (which stay readable after close, the file gone) or reported as not run; none is counted twice.
     */
    @RepeatedTest(5)
    void closeRacingSendsAccountsForEveryAcceptedTaskInTheCounters() throws Exception {
        VelaRuntime vela = VelaRuntime.start(config().build());
        Path file = vela.counters().file().orElseThrow();
        AtomicLong accepted = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        CountDownLatch going = new CountDownLatch(2);
        Runnable task = ran::incrementAndGet;
        // threads of the test's own, not the common pool: with one core's worth of parallelism (2 cores) the
        // common pool would run the two senders one after the other, and a sender left looping would starve every
        // later test that uses it
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Void>> senders = List.of(0, 1).stream().map(i -> CompletableFuture.runAsync(() -> {
                going.countDown();
                while (true) {
                    try {
                        vela.executor().execute(task);
                        accepted.incrementAndGet();
                    } catch (RingRejectedException closed) {
                        return;
                    }
                }
            }, threads)).toList();
            assertThat(going.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(20);
            vela.close();
            for (CompletableFuture<Void> s : senders) {
                s.get(10, TimeUnit.SECONDS);
            }
        } finally {
            vela.close();
            threads.shutdownNow();
        }
        long notRun = vela.shutdownReports().stream().filter(r -> r.name().equals("executor"))
                .mapToLong(ShutdownReport::notRun).sum();
        assertThat(file).doesNotExist();
        long completed = vela.stats().executor().completed(); // the mapping outlives the file
        assertThat(completed).isEqualTo(ran.get());
        assertThat(completed + notRun).isEqualTo(accepted.get());
        assertThat(vela.stats().executor().published()).isEqualTo(accepted.get());
    }

    @Test
    void aComponentWhoseCountersThrowDoesNotStopTheSampling() {
        try (VelaRuntime vela = VelaRuntime.start(config().build());
                CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            vela.registerStats(new ComponentStats() {
                @Override
                public String name() {
                    return "broken";
                }

                @Override
                public String describe() {
                    return "broken";
                }

                @Override
                public void counters(java.util.function.ObjLongConsumer<String> sink) {
                    sink.accept("before-throwing", 1);
                    throw new IllegalStateException("boom");
                }
            });
            vela.executor().submit(() -> 1).join();
            vela.executor().submit(() -> 2).join();
            // the sampled executor totals keep moving although every pass meets the throwing component
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.snapshot().stream()
                    .anyMatch(s -> s.label().equals("ring executor completed") && s.value() == 2));
        }
    }

    @Test
    void aDeletedFileIsNoticedByItsReader() {
        VelaRuntime vela = VelaRuntime.start(config().build());
        try (CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            assertThat(reader.writerAlive()).isTrue();
            vela.close();
            assertThat(reader.writerAlive()).isFalse();
            assertThat(reader.snapshot()).isNotEmpty(); // its own mapping is still valid
        }
    }
}
