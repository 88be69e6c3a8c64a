package io.vela.bench;

import io.vela.bench.report.Comparison;
import io.vela.bench.report.ResultsJson;
import io.vela.engine.VelaException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vela-bench compare OLD.json NEW.json}: the change of every figure between two result files, regressions
 * beyond run-to-run noise flagged. Exit code 0 when none is flagged, 1 when one is, 2 when a file cannot be read.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compares two result files (written by --json) per suite, case, subject and metric, and flags "
                + "changes beyond the run-to-run noise recorded in docs/benchmarks.md (throughput: lower is worse; "
                + "latency, CPU and allocation: higher is worse)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:no regression flagged", "1:at least one regression flagged",
            "2:bad arguments, or a file that cannot be read as results"})
public final class CompareCommand implements Callable<Integer> {
    /** Exit code when a regression is flagged. */
    static final int REGRESSION = 1;
    /** Exit code when an input cannot be read. */
    static final int BAD_INPUT = 2;

    @Parameters(index = "0", paramLabel = "OLD.json", description = "the baseline result file")
    Path before;

    @Parameters(index = "1", paramLabel = "NEW.json", description = "the result file to judge")
    Path after;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Comparison c;
        try {
            c = Comparison.of(ResultsJson.read(before), ResultsJson.read(after));
        } catch (IOException | VelaException e) {
            spec.commandLine().getErr().println("compare: " + e.getMessage());
            return BAD_INPUT;
        }
        spec.commandLine().getOut().print(c.render());
        spec.commandLine().getOut().flush();
        return c.regressions().isEmpty() ? 0 : REGRESSION;
    }
}
