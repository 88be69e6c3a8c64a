package io.vela.bench;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.ResultTable;
import io.vela.bench.cli.Suite;
import io.vela.bench.report.HtmlReport;
import io.vela.bench.report.RunInfo;
import io.vela.bench.report.StrategyTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code vela-bench} CLI: runs Vela's benchmark suites side by side with their peers, prints a table to
 * stdout, progress to stderr, and optionally writes the rows as a JSON array.
 */
@Command(name = "vela-bench", mixinStandardHelpOptions = true, version = "vela-bench 0.1",
        description = "Runs Vela's benchmarks side by side with the libraries it replaces.",
        subcommands = {
            CompareCommand.class,
            ReportCommand.class,
            io.vela.bench.cli.StatCommand.class,
        })
public final class VelaBench implements Callable<Integer> {

    @Option(names = "--quick", description = "Quick mode (default): one fork, short iterations, about 5 minutes on 2 cores.")
    boolean quick;

    @Option(names = "--full", description = "Full mode: three forks, longer iterations; forks compared by median.")
    boolean full;

    @Option(names = "--suite", split = ",", paramLabel = "NAME",
            description = "Suites to run (default: all but strategies, which runs only when named). "
                    + "Known: ${COMPLETION-CANDIDATES}",
            completionCandidates = SuiteNames.class)
    List<String> suites = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as a JSON array.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report (tables, "
            + "charts; no network needed to view). Default with --json: the JSON file's name with .html.")
    Path html;

    @Option(names = "--no-html", description = "Do not write the HTML report that --json implies.")
    boolean noHtml;

    @Option(names = "--list", description = "List the suites and exit.")
    boolean list;

    /** Picocli's completion candidates: the registered suite names. */
    static final class SuiteNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Suites.all().stream().map(Suite::name).iterator();
        }
    }

    @Override
    public Integer call() throws IOException {
        List<Suite> all = Suites.all();
        if (list) {
            all.forEach(s -> System.out.println(s.name()));
            return 0;
        }
        if (quick && full) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--quick and --full exclude each other");
        }
        List<String> known = all.stream().map(Suite::name).collect(Collectors.toList());
        for (String s : suites) {
            if (!known.contains(s)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "unknown suite '" + s + "'; known suites: " + String.join(", ", known));
            }
        }
        BenchContext ctx = new BenchContext(full, System.err);
        List<BenchResult> rows = new ArrayList<>();
        int failed = 0;
        long start = System.nanoTime();
        for (Suite suite : selected(all)) {
            ctx.progress("suite " + suite.name() + " (" + (full ? "full" : "quick") + ")");
            try {
                rows.addAll(suite.run(ctx));
            } catch (Exception e) {
                failed++;
                ctx.progress("suite " + suite.name() + " FAILED: " + e);
                e.printStackTrace(System.err);
            }
        }
        ctx.progress(String.format(Locale.ROOT, "done in %.0f s", (System.nanoTime() - start) / 1e9));
        List<BenchResult> strategyRows = rows.stream().filter(r -> r.suite().equals(StrategyTable.SUITE)).toList();
        System.out.print(ResultTable.render(rows.stream().filter(r -> !strategyRows.contains(r)).toList()));
        System.out.print(StrategyTable.text(strategyRows));
        if (json != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(json, StandardCharsets.UTF_8))) {
                w.print(ResultTable.toJson(rows));
            }
            ctx.progress("wrote " + rows.size() + " rows to " + json);
        }
        Path page = htmlFile();
        if (page != null) {
            HtmlReport.write(page, rows, RunInfo.current());
            ctx.progress("wrote the HTML report to " + page);
        }
        return failed == 0 ? 0 : 1;
    }

    /**
     * @param all every suite
     * @return the suites named by {@code --suite}, else those in the default run
     */
    List<Suite> selected(List<Suite> all) {
        return all.stream().filter(s -> suites.isEmpty() ? s.inDefaultRun() : suites.contains(s.name())).toList();
    }

    /** @return where the HTML report goes: --html, else next to --json unless --no-html, else nowhere */
    Path htmlFile() {
        if (html != null) {
            return html;
        }
        if (json == null || noHtml) {
            return null;
        }
        String name = json.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(base + ".html");
    }

    /** @param args command-line arguments; see {@code --help} */
    public static void main(String[] args) {
        System.exit(new CommandLine(new VelaBench()).execute(args));
    }
}
