package io.vela.bench.report;

import io.vela.bench.cli.BenchResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Two result sets compared figure by figure (same suite, case, subject and metric): the change of each, and a
 * verdict against its {@link NoiseBands noise band}. Immutable; any thread.
 *
 * @param lines one per figure in either set, in the new set's order, then figures only in the old set
 */
public record Comparison(List<Line> lines) {

    /** What a figure's move means. */
    public enum Verdict {
        /** Worse beyond the noise band. */
        REGRESSION,
        /** Better beyond the noise band. */
        IMPROVEMENT,
        /** Within the noise band. */
        NOISE,
        /** Not compared (no band for this metric, a figure missing from one side, or not a number). */
        NOT_COMPARED
    }

    /**
     * One figure.
     *
     * @param suite    suite
     * @param caseName case
     * @param subject  subject
     * @param metric   metric
     * @param before   the old figure, NaN if absent
     * @param after    the new figure, NaN if absent
     * @param verdict  its verdict
     */
    public record Line(String suite, String caseName, String subject, String metric, double before, double after,
            Verdict verdict) {
    }

    /** @param lines the lines; copied */
    public Comparison {
        lines = List.copyOf(lines);
    }

    /**
     * @param before the old run's rows
     * @param after  the new run's rows
     * @return the comparison (distribution points left out)
     */
    public static Comparison of(List<BenchResult> before, List<BenchResult> after) {
        Map<String, BenchResult> old = index(before);
        Map<String, BenchResult> now = index(after);
        List<Line> lines = new ArrayList<>();
        now.forEach((k, r) -> {
            BenchResult o = old.get(k);
            double from = o == null ? Double.NaN : o.value();
            lines.add(new Line(r.suite(), r.caseName(), r.subject(), r.metric(), from, r.value(),
                    verdict(r.metric(), from, r.value())));
        });
        old.forEach((k, o) -> {
            if (!now.containsKey(k)) {
                lines.add(new Line(o.suite(), o.caseName(), o.subject(), o.metric(), o.value(), Double.NaN,
                        Verdict.NOT_COMPARED));
            }
        });
        return new Comparison(lines);
    }

    /** @return the lines flagged as regressions */
    public List<Line> regressions() {
        return lines.stream().filter(l -> l.verdict() == Verdict.REGRESSION).toList();
    }

    /** @return a text table of every line, then a summary */
    public String render() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-10s %-30s %-18s %-20s %16s %16s %9s  %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "suite", "case", "subject", "metric", "old", "new", "change",
                "verdict"));
        for (Line l : lines) {
            String change = Double.isNaN(l.before()) || Double.isNaN(l.after()) || l.before() == 0 ? ""
                    : String.format(Locale.ROOT, "%+.1f%%", 100 * (l.after() - l.before()) / l.before());
            sb.append(String.format(Locale.ROOT, fmt, l.suite(), l.caseName(), l.subject(), l.metric(),
                    HtmlReport.fmt(l.before()), HtmlReport.fmt(l.after()), change, label(l)));
        }
        long worse = regressions().size();
        long better = lines.stream().filter(l -> l.verdict() == Verdict.IMPROVEMENT).count();
        sb.append(String.format(Locale.ROOT, "%d regression(s) and %d improvement(s) beyond run-to-run noise "
                + "(bands from docs/benchmarks.md), %d figure(s) compared%n", worse, better,
                lines.stream().filter(l -> l.verdict() != Verdict.NOT_COMPARED).count()));
        return sb.toString();
    }

    private static String label(Line l) {
        return switch (l.verdict()) {
            case REGRESSION -> "REGRESSION";
            case IMPROVEMENT -> "improved";
            case NOISE -> "";
            case NOT_COMPARED -> Double.isNaN(l.before()) ? "only in new" : Double.isNaN(l.after()) ? "only in old"
                    : "-";
        };
    }

    private static Verdict verdict(String metric, double from, double to) {
        Optional<NoiseBands.Band> band = NoiseBands.of(metric);
        if (band.isEmpty() || Double.isNaN(from) || Double.isNaN(to)) {
            return Verdict.NOT_COMPARED;
        }
        boolean up = MetricKind.of(metric).higherIsBetter();
        if (band.get().worse(from, to, up)) {
            return Verdict.REGRESSION;
        }
        return band.get().better(from, to, up) ? Verdict.IMPROVEMENT : Verdict.NOISE;
    }

    private static Map<String, BenchResult> index(List<BenchResult> rows) {
        Map<String, BenchResult> m = new LinkedHashMap<>();
        for (BenchResult r : rows) {
            if (MetricKind.of(r.metric()) != MetricKind.DISTRIBUTION) {
                m.put(r.suite() + '|' + r.caseName() + '|' + r.subject() + '|' + r.metric(), r);
            }
        }
        return m;
    }
}
