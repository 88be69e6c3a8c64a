package io.vela.bench.events;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.ForkedRun;
import io.vela.bench.cli.JmhSettings;
import io.vela.bench.cli.Suite;
import io.vela.engine.WaitStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Suite {@code events}: Vela's event bus beside the raw Disruptor, Guava's {@code AsyncEventBus} and Vert.x 5's
 * local event bus, in topologies that fit 2 cores.
 *
 * <ul>
 *   <li>JMH throughput (delivered events/s) and allocation per event ({@code gc.alloc.rate.norm}, every thread):
 *       cases {@code 1p1s}, {@code 1p3s-shared}, {@code 2p1s}, {@code batch} (1p1s, 1000 events per batch
 *       publish: Vela's {@code Topic.publishAll(translator, array)} beside the Disruptor's {@code publishEvents});
 *       subjects {@code vela} (translator publish),
 *       {@code disruptor-raw}, {@code guava-eventbus}, {@code vertx-eventbus}, in {@code 2p1s} also the Vela/raw
 *       pair with a parking consumer ({@code -lite-blocking}: 3 threads on 2 cores), and in {@code 1p1s} also
 *       {@code vela-object} (object publish).</li>
 *   <li>Latency at a fixed rate, case {@code 1p1s-latency}: {@code p50_ns}, {@code p99_ns}, {@code p999_ns}, timed
 *       from each event's scheduled send time ({@link FixedRateLatency}, in a forked JVM with a pre-touched heap); and {@code 1p1s-latency-phased-backoff}:
 *       Vela and disruptor-raw with a consumer that does not keep its core busy when idle.</li>
 * </ul>
 *
 * Vela and disruptor-raw use the yielding wait strategy unless the case or subject name says otherwise. Quick mode: about
 * 85-90 s.
 */
public final class EventsSuite implements Suite {
    /** Events per second in the latency case. */
    static final long RATE = 100_000;

    @Override
    public String name() {
        return "events";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        JmhSettings settings = ctx.compactSettings();
        List<BenchResult> rows = new ArrayList<>();
        rows.addAll(ctx.jmh().run(name(), OneToOneBenchmark.class, "1p1s", settings));
        rows.addAll(ctx.jmh().run(name(), OneToThreeSharedBenchmark.class, "1p3s-shared", settings));
        rows.addAll(ctx.jmh().run(name(), TwoToOneBenchmark.class, "2p1s", settings));
        rows.addAll(ctx.jmh().run(name(), BatchPublishBenchmark.class, "batch", settings));
        rows.addAll(latency(ctx));
        return rows;
    }

    private List<BenchResult> latency(BenchContext ctx) throws Exception {
        List<BenchResult> rows = new ArrayList<>(latency(ctx, "1p1s-latency", WaitStrategy.YIELDING,
                List.of("vela", "disruptor-raw", "guava-eventbus", "vertx-eventbus")));
        // the same pair with a wait strategy that does not keep the consumer's core busy
        WaitStrategy phased = WaitStrategy.PHASED_BACKOFF;
        rows.addAll(latency(ctx, "1p1s-latency-" + phased.configName(), phased, List.of("vela", "disruptor-raw")));
        return rows;
    }

    /** Runs {@link FixedRateLatency#main} in a forked JVM ({@link ForkedRun}) and reads its results. */
    private List<BenchResult> latency(BenchContext ctx, String c, WaitStrategy wait, List<String> subjects)
            throws Exception {
        long warmMs = ctx.full() ? 5_000 : 1_000;
        long measureMs = ctx.full() ? 10_000 : 1_500;
        ctx.progress(String.format(Locale.ROOT, "events/%s: %,d events/s, timed from the scheduled send (forked JVM)",
                c, RATE));
        List<BenchResult> rows = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of(Long.toString(RATE), Long.toString(warmMs),
                Long.toString(measureMs), wait.configName()));
        args.addAll(subjects);
        for (String[] f : ForkedRun.results(FixedRateLatency.class, args, 120)) {
            rows.addAll(ForkedRun.latencyRows(ctx, name(), c, f));
        }
        return rows;
    }
}
