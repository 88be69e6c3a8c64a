package io.vela.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ForkedRunTest {

    /** A measuring main: one noise line, then one result line per argument. */
    public static final class PrintsResults {
        private PrintsResults() {
        }

        /** @param args subject names; {@code fail} exits with status 3 */
        public static void main(String[] args) {
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.println("some log line RESULT not at the start");
            for (String a : args) {
                if (a.equals("fail")) {
                    System.exit(3);
                }
                out.println("RESULT " + a + " 100 2000 30000 7");
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void collectsTheResultLinesOfAForkedMainAndTurnsThemIntoLatencyRows() throws Exception {
        List<String[]> results = ForkedRun.results(PrintsResults.class, List.of("vela", "pekko"), 25);
        assertThat(results).hasSize(2);
        assertThat(results.get(0)).containsExactly("vela", "100", "2000", "30000", "7");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BenchContext ctx = new BenchContext(false, new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertThat(ForkedRun.latencyRows(ctx, "actors", "ask", results.get(1))).containsExactly(
                new BenchResult("actors", "ask", "pekko", "p50_ns", 100),
                new BenchResult("actors", "ask", "pekko", "p99_ns", 2000),
                new BenchResult("actors", "ask", "pekko", "p999_ns", 30000));
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("pekko", "(7 samples)");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aForkThatFailsIsAnErrorNamingItsStderrFile() {
        assertThatThrownBy(() -> ForkedRun.results(PrintsResults.class, List.of("vela", "fail"), 25))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PrintsResults vela fail failed")
                .hasMessageContaining("vela-bench-fork-");
    }
}
