package io.vela.bench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the {@code @Benchmark} methods of one class in forked JMH with the GC profiler and turns the results
 * into {@link BenchResult} rows.
 *
 * <p>Subject = the method name in kebab case ({@code jdkThreadpool} → {@code jdk-threadpool}); case = the given
 * case name, followed by {@code -value} for each {@code @Param}. Metrics: {@code ops_per_sec} (median of the forks'
 * scores, so one bimodal fork does not decide it) and {@code alloc_bytes_per_op} ({@code gc.alloc.rate.norm},
 * which counts every thread's allocation, workers included).
 */
public final class JmhSupport {
    /** JVM flags every fork gets: the libraries' flags, and a fixed pre-touched heap (docs/benchmarks.md). */
    public static final List<String> FORK_JVM_ARGS = forkJvmArgs();

    private final BenchContext ctx;
    private final Path log;

    JmhSupport(BenchContext ctx) {
        this.ctx = ctx;
        try {
            this.log = Files.createTempFile("vela-bench-jmh-", ".log");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the JMH log file", e);
        }
    }

    /**
     * Runs every benchmark method of {@code benchmarkClass}.
     *
     * @param suite          suite name for the rows
     * @param benchmarkClass the JMH class
     * @param caseName       case name for the rows
     * @param settings       forks and iterations
     * @return one {@code ops_per_sec} and one {@code alloc_bytes_per_op} row per method and parameter set
     * @throws RunnerException when JMH fails
     */
    public List<BenchResult> run(String suite, Class<?> benchmarkClass, String caseName, JmhSettings settings)
            throws RunnerException {
        return run(suite, benchmarkClass, caseName, settings, new String[0][]);
    }

    /**
     * Runs every benchmark method of {@code benchmarkClass} with some {@code @Param} values overridden.
     *
     * @param suite          suite name for the rows
     * @param benchmarkClass the JMH class
     * @param caseName       case name for the rows; empty: the {@code @Param} values alone name the case
     * @param settings       forks, iterations and threads
     * @param params         pairs {@code {name, value1, value2, ...}}
     * @return the rows
     * @throws RunnerException when JMH fails
     */
    public List<BenchResult> run(String suite, Class<?> benchmarkClass, String caseName, JmhSettings settings,
            String[]... params) throws RunnerException {
        String shown = caseName;
        for (String[] p : params) {
            shown += (shown.isEmpty() ? "" : "-") + String.join(",", Arrays.copyOfRange(p, 1, p.length));
        }
        ctx.progress(String.format(Locale.ROOT, "%s/%s: JMH %s (%d fork(s), %dx%ds warm-up, %dx%ds measured; log %s)",
                suite, shown, benchmarkClass.getSimpleName(), settings.forks(), settings.warmupIterations(),
                settings.warmupSeconds(), settings.measureIterations(), settings.measureSeconds(), log));
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include("^" + benchmarkClass.getName().replace(".", "\\.") + "\\.")
                .forks(settings.forks())
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.seconds(settings.warmupSeconds()))
                .measurementIterations(settings.measureIterations())
                .measurementTime(TimeValue.seconds(settings.measureSeconds()))
                .timeUnit(TimeUnit.SECONDS)
                .jvmArgsAppend(FORK_JVM_ARGS.toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .output(log.toString());
        if (settings.threads() > 0) {
            opts.threads(settings.threads());
        }
        for (String[] p : params) {
            opts.param(p[0], Arrays.copyOfRange(p, 1, p.length));
        }
        Collection<RunResult> results = new Runner(opts.build()).run();
        List<BenchResult> rows = new ArrayList<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            String subject = kebab(method.substring(method.lastIndexOf('.') + 1));
            StringBuilder c = new StringBuilder(caseName);
            for (String key : r.getParams().getParamsKeys()) {
                c.append(c.length() == 0 ? "" : "-").append(r.getParams().getParam(key));
            }
            double ops = medianScore(r);
            rows.add(new BenchResult(suite, c.toString(), subject, "ops_per_sec", ops));
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            if (alloc != null) {
                rows.add(new BenchResult(suite, c.toString(), subject, "alloc_bytes_per_op", alloc.getScore()));
            }
            ctx.progress(String.format(Locale.ROOT, "  %-28s %-18s %,16.0f ops/s", c, subject, ops));
        }
        return rows;
    }

    private static double medianScore(RunResult r) {
        List<Double> perFork = new ArrayList<>();
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            perFork.add(b.getPrimaryResult().getScore());
        }
        if (perFork.isEmpty()) {
            return r.getPrimaryResult().getScore();
        }
        perFork.sort(Double::compare);
        int n = perFork.size();
        return n % 2 == 1 ? perFork.get(n / 2) : (perFork.get(n / 2 - 1) + perFork.get(n / 2)) / 2;
    }

    /**
     * @param camel a method name such as {@code jdkThreadpool}
     * @return its kebab-case form such as {@code jdk-threadpool}
     */
    public static String kebab(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch)) {
                if (i > 0) {
                    sb.append('-');
                }
                sb.append(Character.toLowerCase(ch));
            } else if (ch == '_') {
                sb.append('-');
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static List<String> forkJvmArgs() {
        List<String> args = new ArrayList<>(List.of(
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                // Chronicle Wire (suite transport): the transport module's flags, see docs/transport.md
                "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
                "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"));
        if (Runtime.version().feature() >= 23) {
            args.add("--sun-misc-unsafe-memory-access=allow");
            args.add("--enable-native-access=ALL-UNNAMED");
        }
        return List.copyOf(args);
    }
}
