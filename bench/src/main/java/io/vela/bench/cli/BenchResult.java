package io.vela.bench.cli;

/**
 * One measured figure: the JSON object {@code {suite, case, subject, metric, value}}.
 *
 * @param suite    suite name, e.g. {@code executor}
 * @param caseName case within the suite, e.g. {@code throughput-yielding}
 * @param subject  what was measured, e.g. {@code vela}, {@code jdk-threadpool}, {@code disruptor-raw}
 * @param metric   e.g. {@code ops_per_sec}, {@code p99_ns}, {@code alloc_bytes_per_op}
 * @param value    the figure
 */
public record BenchResult(String suite, String caseName, String subject, String metric, double value) {
}
