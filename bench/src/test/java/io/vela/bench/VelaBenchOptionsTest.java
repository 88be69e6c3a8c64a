package io.vela.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VelaBenchOptionsTest {

    private static VelaBench parse(String... args) {
        VelaBench b = new VelaBench();
        new CommandLine(b).parseArgs(args);
        return b;
    }

    @Test
    void theHtmlReportGoesNextToTheJsonUnlessToldOtherwise() {
        assertThat(parse("--json", "out/run.json").htmlFile()).isEqualTo(Path.of("out/run.html"));
        assertThat(parse("--json", "out/run.json", "--no-html").htmlFile()).isNull();
        assertThat(parse("--json", "run.json", "--html", "page.html").htmlFile()).isEqualTo(Path.of("page.html"));
        assertThat(parse("--html", "page.html").htmlFile()).isEqualTo(Path.of("page.html"));
        assertThat(parse().htmlFile()).isNull();
    }

    @Test
    void theStrategiesSuiteRunsOnlyWhenNamed() {
        java.util.List<String> byDefault = parse().selected(Suites.all()).stream()
                .map(io.vela.bench.cli.Suite::name).toList();
        assertThat(byDefault).contains("floor", "executor", "di").doesNotContain("strategies");
        assertThat(parse("--suite", "floor,strategies").selected(Suites.all()))
                .extracting(io.vela.bench.cli.Suite::name).containsExactly("floor", "strategies");
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(VelaBenchOptionsTest.class.getResource("/reports/" + name).toURI());
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new VelaBench());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void compareExitsNonZeroOnARegressionZeroWithoutAndTwoOnAnUnreadableFile() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String old = fixture("compare-old.json").toString();
        assertThat(run(out, err, "compare", old, fixture("compare-new.json").toString())).isEqualTo(1);
        assertThat(out.toString()).contains("REGRESSION");
        assertThat(run(new StringWriter(), err, "compare", old, old)).isZero();
        assertThat(run(new StringWriter(), err, "compare", old, "no-such-file.json")).isEqualTo(2);
        assertThat(err.toString()).contains("no-such-file.json");
        StringWriter help = new StringWriter();
        run(help, new StringWriter(), "compare", "--help");
        assertThat(help.toString()).contains("Exit codes", "regression");
    }

    @Test
    void reportWritesThePageOfAResultFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path json = dir.resolve("run.json");
        java.nio.file.Files.copy(fixture("compare-new.json"), json);
        StringWriter out = new StringWriter();
        assertThat(run(out, new StringWriter(), "report", json.toString())).isZero();
        assertThat(java.nio.file.Files.readString(dir.resolve("run.html"))).contains("<html", "1p3s-shared");
        assertThat(run(new StringWriter(), new StringWriter(), "report", dir.resolve("none.json").toString(),
                "-o", dir.resolve("x.html").toString())).isEqualTo(2);
    }
}
