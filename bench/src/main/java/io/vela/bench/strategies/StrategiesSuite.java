package io.vela.bench.strategies;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.LatencyRows;
import io.vela.bench.cli.Suite;
import io.vela.bench.report.StrategyTable;
import io.vela.engine.WaitStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Suite {@code strategies}: which wait strategy to pick. Vela's executor (submit-to-run) and event bus
 * (publish-to-handle) under each ring wait strategy that fits the cores, one sender and one handler thread each
 * (two threads: fits 2 cores; a spinning strategy is left out below 2 cores). Per component and strategy: peak
 * throughput, p50/p99/p99.9 at a low and a medium offered rate with fixed-rate and Poisson arrivals (timed from the
 * intended send time: no coordinated omission), CPU per task, and CPU burnt per second while idle with the runtime
 * started. Printed as one table ({@link StrategyTable}).
 *
 * <p>Quick mode (about 55 s on 2 cores) measures {@link #QUICK}; {@code --full} all of {@link #FULL} for longer.
 * Not part of the default run (it would add about a sixth to the README's quick run): ask for it with
 * {@code --suite strategies}.
 */
public final class StrategiesSuite implements Suite {
    /** Low offered rate: the handler goes idle between messages, so the wake-up path is measured. */
    static final long LOW_RATE = 2_000;
    /** Medium offered rate: the executor suite's rate; the handler rarely sleeps long. */
    static final long MEDIUM_RATE = 50_000;
    /** Quick mode's strategies: busy-spin (like yielding at these rates) and timeout-blocking (like blocking) out. */
    static final List<WaitStrategy> QUICK = List.of(WaitStrategy.YIELDING, WaitStrategy.PHASED_BACKOFF,
            WaitStrategy.SLEEPING, WaitStrategy.LITE_BLOCKING, WaitStrategy.BLOCKING);
    /** Every ring strategy. */
    static final List<WaitStrategy> FULL = List.of(WaitStrategy.BUSY_SPIN, WaitStrategy.YIELDING,
            WaitStrategy.PHASED_BACKOFF, WaitStrategy.SLEEPING, WaitStrategy.LITE_BLOCKING, WaitStrategy.BLOCKING,
            WaitStrategy.TIMEOUT_BLOCKING);

    /** How long each measurement runs. */
    record Durations(long warmMs, long lowMs, long mediumMs, long peakMs, long idleMs) {
        static final Durations QUICK = new Durations(200, 750, 500, 700, 500);
        static final Durations FULL = new Durations(1_000, 5_000, 5_000, 3_000, 2_000);
    }

    @Override
    public String name() {
        return StrategyTable.SUITE;
    }

    @Override
    public boolean inDefaultRun() {
        return false;
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        List<WaitStrategy> strategies = fitting(ctx.full() ? FULL : QUICK, Runtime.getRuntime().availableProcessors());
        ctx.progress(String.format(Locale.ROOT, "strategies: executor and event bus, 1 sender + 1 handler thread, "
                + "%d cores; %s", Runtime.getRuntime().availableProcessors(), strategies));
        return measure(ctx, strategies, ctx.full() ? Durations.FULL : Durations.QUICK);
    }

    /**
     * @param candidates strategies to consider
     * @param cores      available processors
     * @return the candidates whose threads fit: a spinning handler needs a core besides the sender's
     */
    static List<WaitStrategy> fitting(List<WaitStrategy> candidates, int cores) {
        return candidates.stream().filter(w -> !w.spinning() || cores >= 2).toList();
    }

    List<BenchResult> measure(BenchContext ctx, List<WaitStrategy> strategies, Durations d) throws Exception {
        List<BenchResult> rows = new ArrayList<>();
        for (WaitStrategy w : strategies) {
            rows.addAll(component(ctx, "executor", w, d, ExecutorTarget::new));
            rows.addAll(component(ctx, "events", w, d, EventsTarget::new));
        }
        return rows; // the CLI prints them as StrategyTable's one table
    }

    private List<BenchResult> component(BenchContext ctx, String component, WaitStrategy w, Durations d,
            Function<WaitStrategy, Target> open) throws Exception {
        String s = w.configName();
        List<BenchResult> rows = new ArrayList<>();
        try (Target t = open.apply(w)) {
            Driver driver = new Driver(t, component + "/" + s, 42, TimeUnit.SECONDS.toNanos(30));
            TimeUnit.MILLISECONDS.sleep(d.warmMs()); // let start-up settle before the idle second
            double idle = Driver.idleCpuPerSecond(TimeUnit.MILLISECONDS.toNanos(d.idleMs()));
            rows.add(row(component, StrategyTable.IDLE, s, "idle_cpu_ns_per_sec", idle));
            double peak = driver.peak(TimeUnit.MILLISECONDS.toNanos(d.warmMs()),
                    TimeUnit.MILLISECONDS.toNanos(d.peakMs()));
            rows.add(row(component, StrategyTable.PEAK, s, "ops_per_sec", peak));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "  %-8s %-15s peak %6.2f M/s  idle %6.1f ms/s", component, s, peak / 1e6, idle / 1e6));
            for (String load : StrategyTable.LOADS) {
                boolean low = load.endsWith("low");
                long rate = low ? LOW_RATE : MEDIUM_RATE;
                Driver.Latency l = driver.openLoop(rate, load.startsWith("poisson"),
                        TimeUnit.MILLISECONDS.toNanos(d.warmMs()),
                        TimeUnit.MILLISECONDS.toNanos(low ? d.lowMs() : d.mediumMs()));
                String c = StrategyTable.caseName(component, load);
                rows.addAll(LatencyRows.of(name(), c, s, l.histogram()));
                rows.add(new BenchResult(name(), c, s, "cpu_ns_per_op", l.cpuNanosPerTask()));
                rows.add(new BenchResult(name(), c, s, StrategyTable.OFFERED, rate));
                line.append(String.format(Locale.ROOT, "  %s p99 %.1f us", load,
                        l.histogram().getValueAtPercentile(99) / 1e3));
            }
            ctx.progress(line.toString());
        }
        return rows;
    }

    private BenchResult row(String component, String measurement, String strategy, String metric, double v) {
        return new BenchResult(name(), StrategyTable.caseName(component, measurement), strategy, metric, v);
    }
}
