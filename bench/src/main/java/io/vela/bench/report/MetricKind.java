package io.vela.bench.report;

import io.vela.bench.cli.LatencyRows;

/**
 * What a result row's metric measures, read from its name, and which direction is better: the one place that
 * {@code compare} and the HTML report classify metrics.
 */
public enum MetricKind {
    /** {@code *_per_sec}: events, tasks or requests per second; higher is better. */
    THROUGHPUT(true),
    /** {@code p50_ns}, {@code p99_ns}, {@code p999_ns}: a latency percentile; lower is better. */
    LATENCY(false),
    /** {@code cpu_*}, {@code idle_cpu_*}: CPU time per task or per idle second; lower is better. */
    CPU(false),
    /** {@code alloc_*}: bytes allocated per operation; lower is better. */
    ALLOCATION(false),
    /** {@code dist_p*_ns}: a point of a percentile curve; shown, never compared. */
    DISTRIBUTION(false),
    /** Anything else: shown, never compared. */
    OTHER(false);

    private final boolean higherIsBetter;

    MetricKind(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /** @return true when a larger figure is an improvement */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * @param metric a row's metric name
     * @return its kind
     */
    public static MetricKind of(String metric) {
        if (LatencyRows.isDistribution(metric)) {
            return DISTRIBUTION;
        }
        if (metric.endsWith("_per_sec") && !metric.contains("cpu")) {
            return THROUGHPUT;
        }
        if (metric.matches("p\\d+_ns")) {
            return LATENCY;
        }
        if (metric.startsWith("cpu_") || metric.startsWith("idle_cpu_")) {
            return CPU;
        }
        if (metric.startsWith("alloc_")) {
            return ALLOCATION;
        }
        return OTHER;
    }
}
