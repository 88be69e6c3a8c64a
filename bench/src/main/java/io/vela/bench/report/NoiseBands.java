package io.vela.bench.report;

import java.util.Optional;

/**
 * How much a figure may move between two runs of the same build on this project's 2-core machines before
 * {@code compare} calls the move a regression (or an improvement). The one place these bands live. Each band comes
 * from the run-to-run spreads recorded in {@code docs/benchmarks.md}: see the comment on each constant.
 */
public final class NoiseBands {
    /**
     * Throughput: the same build's executor throughput was 12.3 M/s in one run and 24.1 M/s in the next
     * ({@code docs/benchmarks.md}, suite executor: "varies from run to run more than within one"; rings are bimodal,
     * one raw ring measured 49-205 M/s across forks). A drop to less than half is beyond that.
     */
    static final Band THROUGHPUT = new Band(2.0, 0);
    /**
     * Median latency: it follows the floor, which moved from 120 ns to 480 ns between runs
     * ({@code docs/benchmarks.md}, top of the page). More than 4x is beyond that.
     */
    static final Band MEDIAN = new Band(4.0, 0);
    /**
     * Tail latency (p99, p99.9): decided by preemption on 2 cores; ThreadPoolExecutor's p99 at 50,000 tasks/s was
     * 34 us in one quick run and 2.80 ms in the next ({@code docs/benchmarks.md}, submit-to-run latency). Only a
     * move of more than 10x, and of more than 100 us, is flagged.
     */
    static final Band TAIL = new Band(10.0, 100_000);
    /**
     * CPU per task or per idle second: the same subject measured 4,538 and 5,870 ns per task in neighbouring runs
     * ({@code docs/benchmarks.md}, CPU ns/task column). More than 1.5x, and more than 200 ns (per task) or 2 ms
     * (per idle second), is flagged.
     */
    static final Band CPU_PER_TASK = new Band(1.5, 200);
    /** See {@link #CPU_PER_TASK}. */
    static final Band CPU_IDLE = new Band(1.5, 2_000_000);
    /**
     * Allocation: steady state is 0 B/op, measured as 0.001-0.005 B/op ({@code docs/benchmarks.md}, allocation); an
     * increase of more than 8 B/op (half the smallest object) is an allocation that was not there.
     */
    static final Band ALLOCATION = new Band(1.0, 8);

    private NoiseBands() {
    }

    /**
     * A band: a figure is worse beyond noise when it moved in the bad direction by more than {@code factor} AND by
     * more than {@code slack} (absolute, in the metric's unit).
     *
     * @param factor ratio beyond which a move counts, at least 1
     * @param slack  absolute move below which nothing counts
     */
    public record Band(double factor, double slack) {
        /**
         * @param from           the old figure
         * @param to             the new figure
         * @param higherIsBetter the metric's direction
         * @return true if {@code to} is worse than {@code from} beyond this band
         */
        public boolean worse(double from, double to, boolean higherIsBetter) {
            return higherIsBetter ? beyond(to, from) : beyond(from, to);
        }

        /**
         * @param from           the old figure
         * @param to             the new figure
         * @param higherIsBetter the metric's direction
         * @return true if {@code to} is better than {@code from} beyond this band
         */
        public boolean better(double from, double to, boolean higherIsBetter) {
            return worse(to, from, higherIsBetter);
        }

        /** @return true if {@code high} exceeds {@code low} by more than the factor and the slack */
        private boolean beyond(double low, double high) {
            return high - low > slack && high > low * factor;
        }
    }

    /**
     * @param metric a result row's metric
     * @return its band, or empty for metrics that are not compared (distribution points, offered rates, unknown)
     */
    public static Optional<Band> of(String metric) {
        return switch (MetricKind.of(metric)) {
            case THROUGHPUT -> Optional.of(THROUGHPUT);
            case LATENCY -> Optional.of(metric.equals("p50_ns") ? MEDIAN : TAIL);
            case CPU -> Optional.of(metric.startsWith("idle_") ? CPU_IDLE : CPU_PER_TASK);
            case ALLOCATION -> Optional.of(ALLOCATION);
            case DISTRIBUTION, OTHER -> Optional.empty();
        };
    }
}
