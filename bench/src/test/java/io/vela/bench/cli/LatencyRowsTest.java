package io.vela.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyRowsTest {

    private static Histogram sample() {
        Histogram h = new Histogram(10_000_000_000L, 3);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            h.recordValue(200 + (long) (-Math.log(1 - r.nextDouble()) * 1_000));
        }
        return h;
    }

    @Test
    void aForkedRunsResultLineCarriesTheSameRowsAsTheHistogramInProcess() {
        Histogram h = sample();
        List<BenchResult> direct = LatencyRows.of("s", "c", "x", h);
        String[] line = LatencyRows.resultLine("x", h).split(" ");
        assertThat(line[0]).isEqualTo("RESULT");
        BenchContext ctx = new BenchContext(false, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        List<BenchResult> parsed = ForkedRun.latencyRows(ctx, "s", "c",
                java.util.Arrays.copyOfRange(line, 1, line.length));
        assertThat(parsed).isEqualTo(direct);
    }

    @Test
    void theDistributionRisesWithThePercentileAndEndsAtTheMaximum() {
        Histogram h = sample();
        List<BenchResult> dist = LatencyRows.of("s", "c", "x", h).stream()
                .filter(r -> LatencyRows.isDistribution(r.metric())).toList();
        assertThat(dist).hasSizeBetween(10, 80);
        double lastPct = -1;
        double lastValue = -1;
        for (BenchResult r : dist) {
            double pct = LatencyRows.percentileOf(r.metric());
            assertThat(pct).isGreaterThan(lastPct);
            assertThat(r.value()).isGreaterThanOrEqualTo(lastValue);
            lastPct = pct;
            lastValue = r.value();
        }
        assertThat(lastPct).isEqualTo(100.0);
        assertThat(lastValue).isEqualTo(h.highestEquivalentValue(h.getMaxValue()));
    }

    @Test
    void theTextTableLeavesTheDistributionOut() {
        String table = ResultTable.render(LatencyRows.of("s", "c", "x", sample()));
        assertThat(table).contains("p99_ns").doesNotContain("dist_p");
        assertThat(ResultTable.toJson(LatencyRows.of("s", "c", "x", sample()))).contains("dist_p99");
    }

    @Test
    void anOldResultLineWithoutDistributionStillReads() {
        BenchContext ctx = new BenchContext(false, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertThat(ForkedRun.latencyRows(ctx, "s", "c", new String[] {"x", "1", "2", "3", "10"}))
                .extracting(BenchResult::metric).containsExactly("p50_ns", "p99_ns", "p999_ns");
    }
}
