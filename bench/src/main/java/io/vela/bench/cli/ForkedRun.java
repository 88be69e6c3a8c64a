package io.vela.bench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs a measuring {@code main} in a forked JVM with the JMH forks' flags ({@link JmhSupport#FORK_JVM_ARGS}: the
 * libraries' flags and a fixed pre-touched heap) and the CLI's class path, and collects the lines it prints that
 * start with {@code RESULT }. The fork's stderr goes to a temporary file, named in the error if the fork fails.
 */
public final class ForkedRun {
    private ForkedRun() {
    }

    /**
     * @param main           the class whose {@code main} measures and prints {@code RESULT} lines
     * @param args           its arguments
     * @param timeoutSeconds how long the fork may take before it is killed
     * @return the fields of each {@code RESULT} line after the word {@code RESULT}, split on spaces
     * @throws IOException          if the fork cannot start
     * @throws InterruptedException if interrupted while waiting for it
     * @throws IllegalStateException if the fork fails or times out
     */
    public static List<String[]> results(Class<?> main, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JmhSupport.FORK_JVM_ARGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        Path err = Files.createTempFile("vela-bench-fork-", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        List<String[]> results = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    String[] f = line.split(" ");
                    results.add(Arrays.copyOfRange(f, 1, f.length));
                }
            }
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("forked " + main.getSimpleName() + " " + String.join(" ", args)
                    + " failed; its stderr: " + err);
        }
        return results;
    }

    /**
     * Turns one latency {@code RESULT} line into rows, and prints it as progress.
     *
     * @param ctx      the run's progress sink
     * @param suite    suite name for the rows
     * @param caseName case name for the rows
     * @param f        the line's fields: {@code subject p50_ns p99_ns p999_ns samples [distribution]}, the last
     *                 one as written by {@link LatencyRows#resultLine}
     * @return the {@code p50_ns}, {@code p99_ns} and {@code p999_ns} rows of the subject, then its distribution
     *         rows if the line has them
     */
    public static List<BenchResult> latencyRows(BenchContext ctx, String suite, String caseName, String[] f) {
        long p50 = Long.parseLong(f[1]);
        long p99 = Long.parseLong(f[2]);
        long p999 = Long.parseLong(f[3]);
        ctx.progress(String.format(Locale.ROOT, "  %-18s p50 %,9d ns  p99 %,11d ns  p99.9 %,11d ns (%s samples)",
                f[0], p50, p99, p999, f[4]));
        List<BenchResult> rows = new ArrayList<>(List.of(
                new BenchResult(suite, caseName, f[0], "p50_ns", p50),
                new BenchResult(suite, caseName, f[0], "p99_ns", p99),
                new BenchResult(suite, caseName, f[0], "p999_ns", p999)));
        if (f.length > 5) {
            rows.addAll(LatencyRows.distribution(suite, caseName, f[0], f[5]));
        }
        return rows;
    }
}
