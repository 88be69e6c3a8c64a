package io.vela.engine.counters;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class StatToolTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintWriter out = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private VelaRuntime start() {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_DIR, dir.toString())
                .set(Settings.EXECUTOR_WORKERS, 1).set(Settings.COUNTERS_SAMPLE_MS, 20L).build());
    }

    @Test
    void withNoProcessItSaysSoAndFails() {
        assertThat(new StatTool(dir, out, false).run(OptionalLong.empty(), true, 1000, 0)).isEqualTo(1);
        assertThat(printed()).contains("No Vela process");
        assertThat(new StatTool(dir, out, false).run(OptionalLong.of(1), true, 1000, 0)).isEqualTo(1);
    }

    @Test
    void onceWithThePidPrintsTheCounters() {
        try (VelaRuntime vela = start()) {
            vela.executor().submit(() -> 1).join();
            long pid = ProcessHandle.current().pid();
            assertThat(new StatTool(dir, out, false).run(OptionalLong.of(pid), true, 1000, 0)).isZero();
            assertThat(printed()).contains("Vela process " + pid).contains("executor").contains("completed")
                    .doesNotContain("\033[");
        }
    }

    @Test
    void watchingShowsCountersChangingWithRatesWhileTasksRun() throws Exception {
        try (VelaRuntime vela = start()) {
            AtomicBoolean stop = new AtomicBoolean();
            Runnable task = () -> { };
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    vela.executor().execute(task);
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
            });
            try (CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> reader
                        .snapshot().stream().anyMatch(s -> s.label().equals("ring executor published")));
            }
            try {
                // the only process in the directory: watched without --pid
                assertThat(new StatTool(dir, out, true).run(OptionalLong.empty(), false, 200, 3)).isZero();
            } finally {
                stop.set(true);
                load.get(10, TimeUnit.SECONDS);
            }
        }
        String text = printed();
        assertThat(text).contains("\033[H\033[2J");
        // the sampled "ring executor published" row, once per refresh: its value grows and a rate is shown
        Matcher m = Pattern.compile("ring +executor +published +(\\d+) *([0-9.]*)").matcher(text);
        List<Long> values = new java.util.ArrayList<>();
        List<String> rates = new java.util.ArrayList<>();
        while (m.find()) {
            values.add(Long.parseLong(m.group(1)));
            rates.add(m.group(2));
        }
        assertThat(values).hasSize(3);
        assertThat(values.get(2)).isGreaterThan(values.get(0));
        assertThat(rates.get(0)).isEmpty(); // no previous snapshot
        assertThat(Double.parseDouble(rates.get(2))).isPositive();
    }

    @Test
    void watchingEndsWhenTheRuntimeCloses() throws Exception {
        VelaRuntime vela = start();
        Path file = vela.counters().file().orElseThrow();
        CompletableFuture<Integer> watching = CompletableFuture.supplyAsync(
                () -> new StatTool(dir, out, false).watch(file, false, 50, 0));
        Thread.sleep(200);
        vela.close();
        assertThat(watching.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(printed()).contains("has ended");
    }

    @Test
    void severalProcessesAreListed() {
        try (VelaRuntime a = start(); VelaRuntime b = start()) {
            assertThat(new StatTool(dir, out, false).run(OptionalLong.empty(), true, 1000, 0)).isZero();
            assertThat(printed()).contains(a.counters().file().orElseThrow().toString())
                    .contains(b.counters().file().orElseThrow().toString()).contains("--pid");
        }
    }
}
