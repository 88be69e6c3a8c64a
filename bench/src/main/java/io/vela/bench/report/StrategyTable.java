package io.vela.bench.report;

import io.vela.bench.cli.BenchResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The layout of suite {@code strategies}' rows and its ONE table: a line per component and wait strategy with peak
 * throughput, latency percentiles at each offered load, CPU per task and idle CPU. Rows: case
 * {@code <component>/<measurement>}, subject = the wait strategy; measurements {@link #PEAK} ({@code ops_per_sec}),
 * {@link #LOADS} ({@code p50_ns p99_ns p999_ns cpu_ns_per_op offered_rate}, plus the percentile distribution) and
 * {@link #IDLE} ({@code idle_cpu_ns_per_sec}). Stateless; any thread.
 */
public final class StrategyTable {
    /** The suite's name. */
    public static final String SUITE = "strategies";
    /** Measurement: sending as fast as accepted. */
    public static final String PEAK = "peak";
    /** Measurement: nothing sent. */
    public static final String IDLE = "idle";
    /** Measurements under an offered load, in table order. */
    public static final List<String> LOADS = List.of("fixed-low", "poisson-low", "fixed-medium", "poisson-medium");
    /** The metric giving a load's offered rate (messages per second). */
    public static final String OFFERED = "offered_rate";

    private StrategyTable() {
    }

    /**
     * @param component e.g. {@code executor}
     * @param measurement {@link #PEAK}, {@link #IDLE} or one of {@link #LOADS}
     * @return the case name
     */
    public static String caseName(String component, String measurement) {
        return component + "/" + measurement;
    }

    /**
     * @param rows the suite's rows (other suites' rows are ignored)
     * @return the table as text, one line per component and strategy
     */
    public static String text(List<BenchResult> rows) {
        List<List<String>> t = cells(rows);
        if (t.size() < 2) {
            return "";
        }
        int[] w = new int[t.get(0).size()];
        t.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        });
        StringBuilder sb = new StringBuilder();
        for (List<String> r : t) {
            for (int i = 0; i < r.size(); i++) {
                sb.append(String.format(Locale.ROOT, i < 2 ? "%-" + w[i] + "s  " : "%" + w[i] + "s  ", r.get(i)));
            }
            sb.setLength(sb.length() - 2);
            sb.append('\n');
        }
        return sb.append(NOTE).append('\n').toString();
    }

    private static final String NOTE = "latency: p50 / p99 / p99.9 from the intended send time; cpu: CPU ns per "
            + "task (all threads but the sender) at the low / medium load; idle: CPU ms per second with nothing sent";

    /**
     * @param rows   the suite's rows
     * @param escape HTML escaper for cell text
     * @return the table as an HTML {@code <table>} and a note
     */
    static String html(List<BenchResult> rows, UnaryOperator<String> escape) {
        List<List<String>> t = cells(rows);
        StringBuilder sb = new StringBuilder("<table>");
        for (int r = 0; r < t.size(); r++) {
            sb.append("<tr>");
            for (int i = 0; i < t.get(r).size(); i++) {
                String tag = r == 0 ? "th" : "td";
                sb.append('<').append(tag).append(r > 0 && i >= 2 ? " class=\"n\">" : ">")
                        .append(escape.apply(t.get(r).get(i))).append("</").append(tag).append('>');
            }
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n<p class=\"note\">").append(escape.apply(NOTE)).append("</p>\n").toString();
    }

    /**
     * @param rows the suite's rows
     * @param load one of {@link #LOADS}
     * @return for a trade-off chart: per component, a point {CPU per task, p99 in µs} labelled with its strategy
     */
    static Map<String, List<Charts.Point>> tradeOff(List<BenchResult> rows, String load) {
        Map<String, Double> v = index(rows);
        Map<String, List<Charts.Point>> series = new LinkedHashMap<>();
        for (String[] cs : componentsAndStrategies(rows)) {
            String k = caseName(cs[0], load) + '|' + cs[1];
            Double cpu = v.get(k + "|cpu_ns_per_op");
            Double p99 = v.get(k + "|p99_ns");
            if (cpu != null && p99 != null && cpu > 0 && p99 > 0) {
                series.computeIfAbsent(cs[0], x -> new ArrayList<>()).add(new Charts.Point(cpu, p99 / 1000, cs[1]));
            }
        }
        return series;
    }

    private static List<List<String>> cells(List<BenchResult> rows) {
        Map<String, Double> v = index(rows);
        List<List<String>> t = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("component", "strategy", "peak M/s"));
        String anyComponent = componentsAndStrategies(rows).stream().map(cs -> cs[0]).findFirst().orElse("");
        for (String load : LOADS) {
            Double rate = rows.stream().filter(r -> r.caseName().equals(caseName(anyComponent, load))
                    && r.metric().equals(OFFERED)).map(BenchResult::value).findFirst().orElse(null);
            head.add(load + (rate == null ? "" : String.format(Locale.ROOT, " @%,.0f/s", rate)));
        }
        head.addAll(List.of("cpu ns/task", "idle cpu ms/s"));
        t.add(head);
        for (String[] cs : componentsAndStrategies(rows)) {
            String k = '|' + cs[1] + '|';
            List<String> line = new ArrayList<>(List.of(cs[0], cs[1],
                    num(v.get(caseName(cs[0], PEAK) + k + "ops_per_sec"), 1e-6, "%.2f")));
            for (String load : LOADS) {
                String c = caseName(cs[0], load) + k;
                line.add(time(v.get(c + "p50_ns")) + " / " + time(v.get(c + "p99_ns")) + " / "
                        + time(v.get(c + "p999_ns")));
            }
            line.add(num(v.get(caseName(cs[0], LOADS.get(0)) + k + "cpu_ns_per_op"), 1, "%,.0f") + " / "
                    + num(v.get(caseName(cs[0], LOADS.get(2)) + k + "cpu_ns_per_op"), 1, "%,.0f"));
            line.add(num(v.get(caseName(cs[0], IDLE) + k + "idle_cpu_ns_per_sec"), 1e-6, "%.1f"));
            t.add(line);
        }
        return t;
    }

    private static Map<String, Double> index(List<BenchResult> rows) {
        Map<String, Double> v = new LinkedHashMap<>();
        rows.stream().filter(r -> r.suite().equals(SUITE))
                .forEach(r -> v.put(r.caseName() + '|' + r.subject() + '|' + r.metric(), r.value()));
        return v;
    }

    private static List<String[]> componentsAndStrategies(List<BenchResult> rows) {
        Set<String> seen = new LinkedHashSet<>();
        List<String[]> out = new ArrayList<>();
        for (BenchResult r : rows) {
            int slash = r.caseName().indexOf('/');
            if (r.suite().equals(SUITE) && slash > 0 && seen.add(r.caseName().substring(0, slash) + '|' + r.subject())) {
                out.add(new String[] {r.caseName().substring(0, slash), r.subject()});
            }
        }
        return out;
    }

    /** @return nanoseconds in the unit that keeps them short: 850ns, 4.4us, 366ms */
    private static String time(Double ns) {
        if (ns == null || ns.isNaN()) {
            return "-";
        }
        if (ns < 1_000) {
            return String.format(Locale.ROOT, "%.0fns", ns);
        }
        return ns < 1_000_000 ? String.format(Locale.ROOT, "%.1fus", ns / 1e3)
                : String.format(Locale.ROOT, "%.1fms", ns / 1e6);
    }

    private static String num(Double v, double scale, String fmt) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, fmt, v * scale);
    }
}
