package io.vela.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.bench.report.Comparison.Line;
import io.vela.bench.report.Comparison.Verdict;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(ComparisonTest.class.getResource("/reports/" + name).toURI());
    }

    @Test
    void eachFigureIsJudgedAgainstItsNoiseBandInItsOwnDirection() throws Exception {
        Comparison c = Comparison.of(ResultsJson.read(fixture("compare-old.json")),
                ResultsJson.read(fixture("compare-new.json")));
        Map<String, Verdict> v = c.lines().stream().collect(Collectors.toMap(
                l -> l.caseName() + "|" + l.subject() + "|" + l.metric(), Line::verdict));

        assertThat(v).containsEntry("throughput-yielding|vela|ops_per_sec", Verdict.REGRESSION) // 25 -> 10 M/s
                .containsEntry("throughput-yielding|jdk-forkjoin|ops_per_sec", Verdict.NOISE) // -30%
                .containsEntry("throughput-yielding|vela|alloc_bytes_per_op", Verdict.REGRESSION) // 0 -> 24 B
                .containsEntry("latency-yielding|vela|p50_ns", Verdict.NOISE) // 2x: the floor moves that much
                .containsEntry("latency-yielding|vela|p99_ns", Verdict.REGRESSION) // 30 us -> 900 us
                .containsEntry("latency-yielding|vela|p999_ns", Verdict.IMPROVEMENT) // 2 ms -> 150 us
                .containsEntry("latency-yielding|vela|cpu_ns_per_op", Verdict.NOISE)
                .containsEntry("1p1s|vela|ops_per_sec", Verdict.NOISE)
                .containsEntry("2p1s|vela|ops_per_sec", Verdict.NOT_COMPARED)
                .containsEntry("1p3s-shared|vela|ops_per_sec", Verdict.NOT_COMPARED)
                .doesNotContainKey("latency-yielding|vela|dist_p50_ns");
        assertThat(c.regressions()).hasSize(3);
        String text = c.render();
        assertThat(text).contains("REGRESSION", "improved", "only in old", "only in new", "-60.0%")
                .contains("3 regression(s) and 1 improvement(s)");
    }

    @Test
    void aRunComparedWithItselfHasNoRegression() throws Exception {
        var rows = ResultsJson.read(fixture("run-a.json"));
        Comparison c = Comparison.of(rows, rows);
        assertThat(c.regressions()).isEmpty();
        assertThat(c.lines()).allMatch(l -> l.verdict() == Verdict.NOISE || l.verdict() == Verdict.NOT_COMPARED)
                .anyMatch(l -> l.verdict() == Verdict.NOISE);
    }

    @Test
    void bandsNeedBothTheFactorAndTheSlack() {
        Function<String, NoiseBands.Band> band = m -> NoiseBands.of(m).orElseThrow();
        assertThat(band.apply("p99_ns").worse(10_000, 95_000, false)).as("9.5x").isFalse();
        assertThat(band.apply("p99_ns").worse(1_000, 50_000, false)).as("50x but only 49 us").isFalse();
        assertThat(band.apply("p99_ns").worse(10_000, 200_000, false)).isTrue();
        assertThat(band.apply("ops_per_sec").worse(100, 49, true)).isTrue();
        assertThat(band.apply("ops_per_sec").worse(100, 51, true)).isFalse();
        assertThat(band.apply("req_per_sec").better(100, 250, true)).isTrue();
        assertThat(NoiseBands.of("offered_rate")).isEmpty();
        assertThat(NoiseBands.of("dist_p99.9_ns")).isEmpty();
    }
}
