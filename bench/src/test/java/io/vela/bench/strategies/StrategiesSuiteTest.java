package io.vela.bench.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.report.StrategyTable;
import io.vela.engine.VelaException;
import io.vela.engine.WaitStrategy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StrategiesSuiteTest {
    private static final StrategiesSuite.Durations TINY = new StrategiesSuite.Durations(20, 100, 50, 50, 50);

    @Test
    void everyComponentAndStrategyGetsEveryFigureOfTheTable() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BenchContext ctx = new BenchContext(false, new PrintStream(progress, true, StandardCharsets.UTF_8));
        List<WaitStrategy> ws = List.of(WaitStrategy.LITE_BLOCKING, WaitStrategy.SLEEPING);
        List<BenchResult> rows = new StrategiesSuite().measure(ctx, ws, TINY);

        for (String component : List.of("executor", "events")) {
            for (WaitStrategy w : ws) {
                Set<String> got = rows.stream()
                        .filter(r -> r.subject().equals(w.configName()) && r.caseName().startsWith(component + "/"))
                        .map(r -> r.caseName().substring(component.length() + 1) + ":" + r.metric())
                        .collect(Collectors.toSet());
                assertThat(got).as("%s/%s", component, w).contains("peak:ops_per_sec", "idle:idle_cpu_ns_per_sec");
                for (String load : StrategyTable.LOADS) {
                    assertThat(got).contains(load + ":p50_ns", load + ":p99_ns", load + ":p999_ns",
                            load + ":cpu_ns_per_op", load + ":offered_rate");
                }
            }
        }
        assertThat(rows).allMatch(r -> r.suite().equals("strategies"))
                .filteredOn(r -> !r.metric().equals("offered_rate")).allMatch(r -> r.value() >= 0);
        assertThat(rows).filteredOn(r -> r.metric().equals("ops_per_sec")).allMatch(r -> r.value() > 1_000);
        String table = StrategyTable.text(rows);
        assertThat(table.lines()).hasSize(1 + 4 + 1); // header, 2 components x 2 strategies, note
        assertThat(progress.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(" peak ")))
                .as("a progress line per component and strategy").hasSize(4);
    }

    @Test
    void everyMessageSentAtAnOfferedRateIsHandledAndRecordedOnce() {
        try (Target t = new ExecutorTarget(WaitStrategy.BLOCKING)) {
            Driver d = new Driver(t, "executor/blocking", 1, TimeUnit.SECONDS.toNanos(10));
            long before = t.recorder().handled();
            Driver.Latency l = d.openLoop(20_000, true, TimeUnit.MILLISECONDS.toNanos(20),
                    TimeUnit.MILLISECONDS.toNanos(200));
            Histogram h = l.histogram();
            long handled = t.recorder().handled() - before;
            // Poisson arrivals: about 4,000 in 200 ms, plus about 400 warm-up messages not recorded
            assertThat(h.getTotalCount()).isBetween(3_000L, 5_000L).isLessThan(handled);
            assertThat(handled - h.getTotalCount()).isBetween(200L, 700L);
            assertThat(l.cpuNanosPerTask()).isPositive();
        }
    }

    @Test
    void aTargetThatLosesMessagesFailsTheRunNamingItInsteadOfHanging() {
        Recorder r = new Recorder();
        Target lossy = new Target() {
            private long n;

            @Override
            public void send(long intendedNanos) {
                if (n++ % 2 == 0) {
                    r.handle(intendedNanos);
                }
            }

            @Override
            public Recorder recorder() {
                return r;
            }

            @Override
            public void close() {
            }
        };
        Driver d = new Driver(lossy, "lossy/none", 1, TimeUnit.MILLISECONDS.toNanos(200));
        assertThatThrownBy(() -> d.openLoop(10_000, false, 1_000_000, 5_000_000))
                .isInstanceOf(VelaException.class).hasMessageContaining("lossy/none").hasMessageContaining("handled");
    }

    @Test
    void spinningStrategiesNeedASecondCoreAndTheQuickListIsASubsetOfTheFullOne() {
        assertThat(StrategiesSuite.fitting(StrategiesSuite.FULL, 1)).noneMatch(WaitStrategy::spinning)
                .contains(WaitStrategy.BLOCKING);
        assertThat(StrategiesSuite.fitting(StrategiesSuite.FULL, 2)).containsExactlyElementsOf(StrategiesSuite.FULL);
        assertThat(StrategiesSuite.FULL).containsAll(StrategiesSuite.QUICK)
                .allMatch(WaitStrategy::forRings);
        assertThat(new StrategiesSuite().inDefaultRun()).isFalse();
    }
}
