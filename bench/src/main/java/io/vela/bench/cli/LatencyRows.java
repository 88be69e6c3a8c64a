package io.vela.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A latency histogram as result rows: the headline {@code p50_ns}, {@code p99_ns}, {@code p999_ns} and, for the HTML
 * report's percentile curves, HdrHistogram's percentile distribution as {@code dist_p<percentile>_ns} rows (the
 * points {@code Histogram.outputPercentileDistribution} prints, at {@value #TICKS_PER_HALF_DISTANCE} ticks per half
 * distance: a few dozen rows per subject). The text table and {@code compare} leave the distribution rows out.
 * Forked runs carry the distribution on their {@code RESULT} line ({@link #resultLine}).
 */
public final class LatencyRows {
    /** Prefix of a distribution row's metric. */
    public static final String DIST_PREFIX = "dist_p";
    /** Suffix of a distribution row's metric. */
    public static final String DIST_SUFFIX = "_ns";
    private static final int TICKS_PER_HALF_DISTANCE = 2;

    private LatencyRows() {
    }

    /**
     * @param suite    suite name
     * @param caseName case name
     * @param subject  subject name
     * @param h        the measured latencies, in nanoseconds
     * @return the headline rows followed by the distribution rows
     */
    public static List<BenchResult> of(String suite, String caseName, String subject, Histogram h) {
        List<BenchResult> rows = new ArrayList<>(List.of(
                new BenchResult(suite, caseName, subject, "p50_ns", h.getValueAtPercentile(50)),
                new BenchResult(suite, caseName, subject, "p99_ns", h.getValueAtPercentile(99)),
                new BenchResult(suite, caseName, subject, "p999_ns", h.getValueAtPercentile(99.9))));
        rows.addAll(distribution(suite, caseName, subject, encode(h)));
        return rows;
    }

    /**
     * @param metric a row's metric
     * @return true for a distribution row
     */
    public static boolean isDistribution(String metric) {
        return metric.startsWith(DIST_PREFIX) && metric.endsWith(DIST_SUFFIX);
    }

    /**
     * @param metric a distribution row's metric
     * @return its percentile, in [0, 100]
     */
    public static double percentileOf(String metric) {
        return Double.parseDouble(metric.substring(DIST_PREFIX.length(), metric.length() - DIST_SUFFIX.length()));
    }

    /**
     * @param subject subject name
     * @param h       the measured latencies
     * @return {@code RESULT <subject> <p50> <p99> <p999> <count> <distribution>}, read back by
     *         {@link ForkedRun#latencyRows}
     */
    public static String resultLine(String subject, Histogram h) {
        return "RESULT " + subject + " " + h.getValueAtPercentile(50) + " " + h.getValueAtPercentile(99) + " "
                + h.getValueAtPercentile(99.9) + " " + h.getTotalCount() + " " + encode(h);
    }

    /**
     * @param h a histogram
     * @return its percentile distribution as {@code percentile:value} pairs joined by commas, no spaces
     */
    static String encode(Histogram h) {
        StringBuilder sb = new StringBuilder();
        if (h.getTotalCount() == 0) {
            return "-";
        }
        for (HistogramIterationValue v : h.percentiles(TICKS_PER_HALF_DISTANCE)) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(String.format(Locale.ROOT, "%.6f:%d", v.getPercentileLevelIteratedTo(),
                    h.highestEquivalentValue(v.getValueIteratedTo())));
        }
        return sb.toString();
    }

    /**
     * @param suite    suite name
     * @param caseName case name
     * @param subject  subject name
     * @param encoded  what {@link #encode} wrote ({@code -} for none)
     * @return the distribution rows
     */
    static List<BenchResult> distribution(String suite, String caseName, String subject, String encoded) {
        List<BenchResult> rows = new ArrayList<>();
        if (encoded.equals("-") || encoded.isEmpty()) {
            return rows;
        }
        double last = -1;
        for (String pair : encoded.split(",")) {
            int colon = pair.indexOf(':');
            double pct = Double.parseDouble(pair.substring(0, colon));
            if (pct <= last) {
                continue; // HdrHistogram repeats the 100th percentile at the end
            }
            last = pct;
            String metric = DIST_PREFIX + new java.math.BigDecimal(pair.substring(0, colon)).stripTrailingZeros()
                    .toPlainString() + DIST_SUFFIX;
            rows.add(new BenchResult(suite, caseName, subject, metric, Long.parseLong(pair.substring(colon + 1))));
        }
        return rows;
    }
}
