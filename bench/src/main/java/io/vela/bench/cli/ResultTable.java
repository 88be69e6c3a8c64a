package io.vela.bench.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders result rows as a text table (with each figure's ratio to Vela's) and as a JSON array. */
public final class ResultTable {
    private ResultTable() {
    }

    /**
     * @param rows measured rows
     * @return a table, one line per row, with a {@code x vela} column: value divided by Vela's value for the same
     *         suite, case and metric
     */
    public static String render(List<BenchResult> rows) {
        Map<String, Double> vela = new LinkedHashMap<>();
        for (BenchResult r : rows) {
            if (r.subject().equals("vela")) {
                vela.put(r.suite() + '|' + r.caseName() + '|' + r.metric(), r.value());
            }
        }
        StringBuilder sb = new StringBuilder();
        String fmt = "%-10s %-30s %-18s %-20s %18s %10s%n";
        sb.append(String.format(Locale.ROOT, fmt, "suite", "case", "subject", "metric", "value", "vs vela"));
        for (BenchResult r : rows) {
            if (LatencyRows.isDistribution(r.metric())) {
                continue; // the percentile curve: in the JSON and the HTML report, too long for a text table
            }
            Double v = vela.get(r.suite() + '|' + r.caseName() + '|' + r.metric());
            String ratio = v == null || v == 0 || r.subject().equals("vela")
                    ? "" : String.format(Locale.ROOT, "%.2fx", r.value() / v);
            sb.append(String.format(Locale.ROOT, fmt, r.suite(), r.caseName(), r.subject(), r.metric(),
                    String.format(Locale.ROOT, "%,.1f", r.value()), ratio));
        }
        return sb.toString();
    }

    /**
     * @param rows measured rows
     * @return a JSON array of objects with keys {@code suite, case, subject, metric, value}
     */
    public static String toJson(List<BenchResult> rows) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            BenchResult r = rows.get(i);
            sb.append("  {\"suite\": ").append(quote(r.suite()))
                    .append(", \"case\": ").append(quote(r.caseName()))
                    .append(", \"subject\": ").append(quote(r.subject()))
                    .append(", \"metric\": ").append(quote(r.metric()))
                    .append(", \"value\": ").append(number(r.value()))
                    .append(i + 1 < rows.size() ? "},\n" : "}\n");
        }
        return sb.append("]\n").toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
