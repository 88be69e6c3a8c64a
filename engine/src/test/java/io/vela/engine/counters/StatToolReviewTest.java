package io.vela.engine.counters;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** vela-stat and labels when one JVM runs several runtimes or names things at length. */
@Timeout(20)
class StatToolReviewTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintWriter out = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);

    private VelaRuntime start() {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_DIR, dir.toString())
                .set(Settings.EXECUTOR_WORKERS, 1).set(Settings.COUNTERS_SAMPLE_MS, 20L).build());
    }

    /** With two runtimes in one process, --pid cannot pick one: both are listed, and each can be watched. */
    @Test
    void theSecondRuntimeOfAProcessCanBeFoundAndWatched() {
        try (VelaRuntime a = start(); VelaRuntime b = start()) {
            Path second = b.counters().file().orElseThrow();
            StatTool tool = new StatTool(dir, out, false);
            assertThat(tool.run(OptionalLong.of(ProcessHandle.current().pid()), true, 1000, 0)).isZero();
            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .contains(a.counters().file().orElseThrow().toString()).contains(second.toString())
                    .contains("--file");
            bytes.reset();
            assertThat(tool.watch(second, true, 1000, 0)).isZero();
            assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("executor");
        }
    }

    /** Agrona cuts labels at its maximum length: a long name must not cut off the metric, which names the meter. */
    @Test
    void aLongNameKeepsTheMetricInTheLabel() {
        try (VelaCounters counters = VelaCounters.inProcess(16)) {
            String name = "channel-" + "x".repeat(CountersReader.MAX_LABEL_LENGTH);
            var c = counters.newCounter(CounterTypes.CHANNEL, name, "sent");
            String label = counters.reader().getCounterLabel(c.id());
            assertThat(label).startsWith("channel channel-xxx").endsWith(" sent");
            assertThat(label.length()).isLessThanOrEqualTo(CountersReader.MAX_LABEL_LENGTH);
        }
    }

    /**
     * A counter freed and its slot given to a new counter of the same label between two refreshes (a channel closed
     * and made again): the difference of the two counters' values is no rate (slots reused at once here, as with
     * {@code counters.reuse-ms = 0}; by default a freed slot waits a second).
     */
    @Test
    void aSlotReusedBetweenTwoRefreshesShowsNoRate() {
        try (VelaCounters counters = VelaCounters.mapped(dir, 16, 0)) {
            var first = counters.newCounter(CounterTypes.CHANNEL, "work", "sent");
            first.set(500);
            try (CountersFileReader reader = CountersFileReader.open(counters.file().orElseThrow())) {
                java.util.List<CounterSample> before = reader.snapshot();
                counters.free(first);
                var second = counters.newCounter(CounterTypes.CHANNEL, "work", "sent");
                second.set(1);
                assertThat(second.id()).isEqualTo(first.id()); // the slot is reused
                java.util.List<CounterSample> after = reader.snapshot();
                String table = StatFormatter.format(1, 0, before, after, 1_000_000_000L);
                String row = table.lines().filter(l -> l.startsWith("channel")).findFirst().orElseThrow();
                assertThat(row).as(table).doesNotContain("-499");
                assertThat(row.trim()).endsWith(" 1"); // the value, and no rate after it
            }
        }
    }
}
