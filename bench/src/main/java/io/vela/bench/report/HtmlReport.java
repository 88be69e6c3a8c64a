package io.vela.bench.report;

import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.LatencyRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code vela-bench}'s results as ONE self-contained HTML page: the machine and JVM, the floor, each suite's
 * table with every figure's ratio to each peer, and charts (throughput bars, HdrHistogram percentile curves, the
 * wait-strategy trade-off) drawn by JFreeChart and embedded as PNG {@code data:} URIs. No script, no stylesheet or
 * font from elsewhere: it opens in a browser with no network. Not thread-safe; call from one thread.
 */
public final class HtmlReport {
    private static final Logger LOG = LoggerFactory.getLogger(HtmlReport.class);
    private static final Escaper ESC = HtmlEscapers.htmlEscaper();
    private static final String STYLE = """
            body{font-family:sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:0.5em 0 1.5em}
            th,td{border:1px solid #ccc;padding:2px 8px;font-size:13px}
            td.n{text-align:right;font-family:monospace}
            th{background:#f0f0f0}
            tr.vela td{background:#eef6ff}
            img{display:block;margin:0.5em 0 1.5em;max-width:100%}
            .note{color:#666;font-size:13px}
            """;

    private HtmlReport() {
    }

    /**
     * @param file where to write the page (overwritten)
     * @param rows the run's rows
     * @param info the machine and JVM
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, List<BenchResult> rows, RunInfo info) throws IOException {
        Files.writeString(file, render(rows, info), StandardCharsets.UTF_8);
    }

    /**
     * @param rows the run's rows
     * @param info the machine and JVM
     * @return the page
     */
    public static String render(List<BenchResult> rows, RunInfo info) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>vela-bench report</title>")
                .append("<style>").append(STYLE).append("</style></head><body>\n<h1>vela-bench report</h1>\n");
        Map<String, List<BenchResult>> bySuite = new LinkedHashMap<>();
        rows.forEach(r -> bySuite.computeIfAbsent(r.suite(), k -> new ArrayList<>()).add(r));
        h.append("<p>Suites: ");
        bySuite.keySet().forEach(s -> h.append("<a href=\"#suite-").append(esc(s)).append("\">").append(esc(s))
                .append("</a> "));
        h.append("</p>\n<h2>Machine and JVM</h2>\n<table>");
        info.entries().forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v))
                .append("</td></tr>"));
        h.append("</table>\n");
        floor(h, bySuite.getOrDefault("floor", List.of()));
        bySuite.forEach((suite, suiteRows) -> suite(h, suite, suiteRows));
        return h.append("</body></html>\n").toString();
    }

    private static void floor(StringBuilder h, List<BenchResult> floor) {
        h.append("<h2>Floor</h2>\n<p>");
        List<BenchResult> shown = floor.stream().filter(r -> MetricKind.of(r.metric()) == MetricKind.LATENCY).toList();
        if (shown.isEmpty()) {
            h.append("The <code>floor</code> suite did not run: read latencies without this machine's floor.");
        } else {
            h.append("This machine's cross-thread round trip (read every latency below against it): ");
            shown.forEach(r -> h.append(esc(r.metric())).append(" <b>").append(fmt(r.value())).append("</b> "));
        }
        h.append("</p>\n");
    }

    private static void suite(StringBuilder h, String suite, List<BenchResult> rows) {
        h.append("<h2 id=\"suite-").append(esc(suite)).append("\">Suite <code>").append(esc(suite))
                .append("</code></h2>\n");
        List<BenchResult> shown = rows.stream().filter(r -> !LatencyRows.isDistribution(r.metric())).toList();
        if (suite.equals(StrategyTable.SUITE)) {
            h.append(StrategyTable.html(shown, HtmlReport::esc));
            for (String load : StrategyTable.LOADS) {
                String title = "wait-strategy trade-off, " + load + ": CPU per task against p99";
                chart(h, title, () -> Charts.scatter(title, "CPU ns per task (all threads but the sender)",
                        "p99 (µs)", StrategyTable.tradeOff(shown, load)));
            }
        } else {
            table(h, shown);
        }
        throughputCharts(h, suite, shown);
        percentileCharts(h, suite, rows);
    }

    /** The suite's rows, each with its ratio to every other subject measured in the same case and metric. */
    private static void table(StringBuilder h, List<BenchResult> rows) {
        Set<String> subjects = new LinkedHashSet<>();
        Map<String, Double> byKey = new LinkedHashMap<>();
        for (BenchResult r : rows) {
            subjects.add(r.subject());
            byKey.put(r.caseName() + '|' + r.metric() + '|' + r.subject(), r.value());
        }
        h.append("<table><tr><th>case</th><th>metric</th><th>subject</th><th>value</th>");
        subjects.forEach(s -> h.append("<th>÷ ").append(esc(s)).append("</th>"));
        h.append("</tr>\n");
        for (BenchResult r : rows) {
            h.append(r.subject().equals("vela") ? "<tr class=\"vela\">" : "<tr>")
                    .append("<td>").append(esc(r.caseName())).append("</td><td>").append(esc(r.metric()))
                    .append("</td><td>").append(esc(r.subject())).append("</td><td class=\"n\">")
                    .append(fmt(r.value())).append("</td>");
            for (String peer : subjects) {
                Double p = byKey.get(r.caseName() + '|' + r.metric() + '|' + peer);
                h.append("<td class=\"n\">");
                if (p != null && p != 0 && !peer.equals(r.subject())) {
                    h.append(String.format(Locale.ROOT, "%.2fx", r.value() / p));
                }
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p class=\"note\">÷ X: this row's value divided by X's in the same case and metric. "
                + "Throughput: higher is better; latency, CPU and allocation: lower is better.</p>\n");
    }

    private static void throughputCharts(StringBuilder h, String suite, List<BenchResult> rows) {
        Map<String, Map<String, Map<String, Double>>> byMetric = new LinkedHashMap<>();
        for (BenchResult r : rows) {
            if (MetricKind.of(r.metric()) == MetricKind.THROUGHPUT) {
                byMetric.computeIfAbsent(r.metric(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.caseName(), k -> new LinkedHashMap<>()).put(r.subject(), r.value());
            }
        }
        byMetric.forEach((metric, values) ->
                chart(h, suite + ": " + metric, () -> Charts.bars(suite + ": " + metric, metric, values)));
    }

    private static void percentileCharts(StringBuilder h, String suite, List<BenchResult> rows) {
        Map<String, Map<String, List<double[]>>> byCase = new LinkedHashMap<>();
        for (BenchResult r : rows) {
            if (LatencyRows.isDistribution(r.metric())) {
                byCase.computeIfAbsent(r.caseName(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.subject(), k -> new ArrayList<>())
                        .add(new double[] {LatencyRows.percentileOf(r.metric()), r.value()});
            }
        }
        byCase.forEach((c, curves) -> {
            String title = suite + "/" + c + ": latency by percentile";
            chart(h, title, () -> Charts.percentiles(title, curves));
        });
    }

    private static void chart(StringBuilder h, String alt, java.util.function.Supplier<String> draw) {
        try {
            String uri = draw.get();
            h.append("<img alt=\"").append(esc(alt)).append("\" src=\"").append(uri).append("\"/>\n");
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) { // e.g. a JDK without fonts
            LOG.warn("chart '{}' not drawn", alt, e);
            h.append("<p class=\"note\">Chart ").append(esc(alt)).append(" not drawn: ").append(esc(e.toString()))
                    .append("</p>\n");
        }
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%,.2f", v);
    }

    private static String esc(String s) {
        return ESC.escape(s);
    }
}
