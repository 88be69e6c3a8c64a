package io.vela.bench.executor;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.LatencyRows;
import io.vela.bench.cli.Suite;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Suite {@code executor}: fire-and-forget throughput (JMH, {@link OneToOneExecutorThroughputBenchmark}) and
 * submit-to-run latency at a fixed rate ({@link FixedRateLatency}), Vela's ring executor side by side with
 * {@code ThreadPoolExecutor}, {@code ForkJoinPool} and a raw Disruptor ring, one submitter and one worker each
 * (two threads: fits 2 cores), for each wait strategy that fits the cores; then two submitters or two workers
 * ({@code 2p1w}, {@code 1p2w}, {@code 2p2w}: {@link ManyThreadCases}) with parking strategies.
 */
public final class ExecutorSuite implements Suite {

    @Override
    public String name() {
        return "executor";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        List<BenchResult> rows = new ArrayList<>();
        String[] strategies = ctx.full()
                ? new String[] {"busy-spin", "yielding", "sleeping", "lite-blocking", "blocking"}
                : new String[] {"yielding", "lite-blocking"};
        String[] param = new String[strategies.length + 1];
        param[0] = "waitStrategy";
        System.arraycopy(strategies, 0, param, 1, strategies.length);
        rows.addAll(ctx.jmh().run(name(), OneToOneExecutorThroughputBenchmark.class, "throughput", ctx.settings(),
                param));
        rows.addAll(ManyThreadCases.run(name(), ctx));
        int rate = 50_000;
        long warm = ctx.full() ? 3_000_000_000L : 500_000_000L;
        long measure = ctx.full() ? 10_000_000_000L : 1_500_000_000L;
        for (String ws : strategies) {
            String c = "latency-" + ws;
            ctx.progress(String.format(Locale.ROOT, "%s/%s: %,d tasks/s for %.1f s per subject", name(), c, rate,
                    measure / 1e9));
            rows.addAll(latency(c, "vela", velaExecutor(ws), rate, warm, measure, ctx));
            rows.addAll(latency(c, "disruptor-raw", rawExecutor(ws), rate, warm, measure, ctx));
            rows.addAll(latency(c, "jdk-threadpool", closeable(new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>())), rate, warm, measure, ctx));
            rows.addAll(latency(c, "jdk-forkjoin", closeable(new ForkJoinPool(1)), rate, warm, measure, ctx));
        }
        return rows;
    }

    private List<BenchResult> latency(String caseName, String subject, ClosableExecutor ex, int rate, long warm,
            long measure, BenchContext ctx) throws Exception {
        FixedRateLatency.Result r;
        try (ex) {
            r = FixedRateLatency.run(ex, rate, warm, measure);
        }
        Histogram h = r.histogram();
        ctx.progress(String.format(Locale.ROOT, "  %-16s p50 %,8d ns  p99 %,10d ns  p99.9 %,10d ns  cpu %,8.0f ns/task",
                subject, h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                r.cpuNanosPerTask()));
        List<BenchResult> rows = new ArrayList<>(LatencyRows.of(name(), caseName, subject, h));
        rows.add(new BenchResult(name(), caseName, subject, "cpu_ns_per_op", r.cpuNanosPerTask()));
        return rows;
    }

    /** An executor that is closed after its run. */
    interface ClosableExecutor extends Executor, AutoCloseable {
        @Override
        void close() throws Exception;
    }

    private static ClosableExecutor closeable(ExecutorService es) {
        return new ClosableExecutor() {
            @Override
            public void execute(Runnable command) {
                es.execute(command);
            }

            @Override
            public void close() throws InterruptedException {
                es.shutdown();
                es.awaitTermination(10, TimeUnit.SECONDS);
            }
        };
    }

    private static ClosableExecutor velaExecutor(String ws) {
        VelaRuntime rt = VelaRuntime.start(VelaConfig.builder()
                .set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.fromConfigName(ws))
                .set(Settings.TIMER_IDLE_STRATEGY, WaitStrategy.BACKOFF)
                .set(Settings.WATCHDOG_STALL_MS, 0L)
                .build());
        return new ClosableExecutor() {
            @Override
            public void execute(Runnable command) {
                rt.executor().execute(command);
            }

            @Override
            public void close() {
                rt.close();
            }
        };
    }

    private static ClosableExecutor rawExecutor(String ws) {
        return new ManyThreadExecutorThroughputBenchmark.RawShardedRing(false, 1, WaitStrategy.fromConfigName(ws));
    }
}
