package io.vela.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private final List<BenchResult> rows = List.of(
            new BenchResult("executor", "throughput-yielding", "vela", "ops_per_sec", 30_000_000),
            new BenchResult("executor", "throughput-yielding", "jdk-threadpool", "ops_per_sec", 3_000_000),
            new BenchResult("floor", "round-trip", "volatile-pingpong", "p50_ns", 120.5));

    @Test
    void jsonIsAnArrayOfObjectsWithTheFiveKeys() {
        String json = ResultTable.toJson(rows);
        assertThat(json).startsWith("[\n").endsWith("]\n")
                .contains("{\"suite\": \"executor\", \"case\": \"throughput-yielding\", \"subject\": \"vela\", "
                        + "\"metric\": \"ops_per_sec\", \"value\": 30000000},")
                .contains("\"value\": 120.5}\n");
        assertThat(ResultTable.toJson(List.of(new BenchResult("a\"b", "c\\d", "e", "f", Double.NaN))))
                .contains("\"a\\\"b\"", "\"c\\\\d\"", "\"value\": null");
    }

    @Test
    void tableShowsEachPeerAsARatioToVela() {
        String table = ResultTable.render(rows);
        assertThat(table.lines().filter(l -> l.contains("jdk-threadpool")).findFirst().orElseThrow())
                .endsWith("0.10x");
        assertThat(table.lines().filter(l -> l.contains("volatile-pingpong")).findFirst().orElseThrow())
                .doesNotContain("x");
    }

    @Test
    void methodNamesBecomeKebabCaseSubjects() {
        assertThat(JmhSupport.kebab("jdkThreadpool")).isEqualTo("jdk-threadpool");
        assertThat(JmhSupport.kebab("disruptorRawMp")).isEqualTo("disruptor-raw-mp");
        assertThat(JmhSupport.kebab("vela")).isEqualTo("vela");
    }
}
