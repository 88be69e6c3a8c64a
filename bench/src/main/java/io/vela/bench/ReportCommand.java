package io.vela.bench;

import io.vela.bench.report.HtmlReport;
import io.vela.bench.report.ResultsJson;
import io.vela.bench.report.RunInfo;
import io.vela.engine.VelaException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vela-bench report RESULTS.json [-o PAGE.html]}: the HTML report of an earlier run's result file. The machine and
 * JVM shown are the ones the command runs on.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes the self-contained HTML report of a result file written by --json. The machine and "
                + "JVM section describes where this command runs: run it where the results were measured."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:written", "2:bad arguments, or a file that cannot be read or written"})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RESULTS.json", description = "a result file")
    Path results;

    @Option(names = {"-o", "--output"}, paramLabel = "PAGE.html",
            description = "the page to write (default: the result file's name with .html)")
    Path page;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path out = page != null ? page : results.resolveSibling(
                results.getFileName().toString().replaceFirst("\\.json$", "") + ".html");
        try {
            HtmlReport.write(out, ResultsJson.read(results), RunInfo.current());
        } catch (IOException | VelaException e) {
            spec.commandLine().getErr().println("report: " + e.getMessage());
            return CompareCommand.BAD_INPUT;
        }
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
