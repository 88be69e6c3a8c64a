package io.vela.bench.events;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.JmhSettings;
import io.vela.bench.cli.Suite;
import io.vela.engine.WaitStrategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Suite {@code events}: Vela's event bus beside the raw Disruptor, Guava's {@code AsyncEventBus} and Vert.x 5's
 * local event bus, in topologies that fit 2 cores.
 *
 * <ul>
 *   <li>JMH throughput (delivered events/s) and allocation per event ({@code gc.alloc.rate.norm}, every thread):
 *       cases {@code 1p1s}, {@code 1p3s-shared}, {@code 2p1s}; subjects {@code vela} (translator publish),
 *       {@code disruptor-raw}, {@code guava-eventbus}, {@code vertx-eventbus}, and in {@code 1p1s} also
 *       {@code vela-object} (object publish).</li>
 *   <li>Latency at a fixed rate, case {@code 1p1s-latency}: {@code p50_ns}, {@code p99_ns}, {@code p999_ns}, timed
 *       from each event's scheduled send time ({@link FixedRateLatency}); and {@code 1p1s-latency-phased-backoff}:
 *       Vela and disruptor-raw with a consumer that does not keep its core busy when idle.</li>
 * </ul>
 *
 * Vela and disruptor-raw use the yielding wait strategy unless the case name says otherwise. Quick mode: about
 * 65-70 s.
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
        JmhSettings settings = ctx.full() ? ctx.settings() : ctx.settings().withWarmup(1, 1).withMeasurement(2, 1);
        List<BenchResult> rows = new ArrayList<>();
        rows.addAll(ctx.jmh().run(name(), OneToOneBenchmark.class, "1p1s", settings));
        rows.addAll(ctx.jmh().run(name(), OneToThreeSharedBenchmark.class, "1p3s-shared", settings));
        rows.addAll(ctx.jmh().run(name(), TwoToOneBenchmark.class, "2p1s", settings));
        rows.addAll(latency(ctx));
        return rows;
    }

    private List<BenchResult> latency(BenchContext ctx) throws InterruptedException {
        Map<String, EventSubject.Factory> subjects = new LinkedHashMap<>();
        subjects.put("vela", Subjects.Vela::new);
        subjects.put("disruptor-raw", Subjects.DisruptorRaw::new);
        subjects.put("guava-eventbus", Subjects.Guava::new);
        subjects.put("vertx-eventbus", Subjects.Vertx5::new);
        List<BenchResult> rows = new ArrayList<>(latency(ctx, "1p1s-latency", subjects));
        // the same pair with a wait strategy that does not keep the consumer's core busy
        WaitStrategy phased = WaitStrategy.PHASED_BACKOFF;
        Map<String, EventSubject.Factory> backoff = new LinkedHashMap<>();
        backoff.put("vela", (p, s, d) -> new Subjects.Vela(p, s, d, phased));
        backoff.put("disruptor-raw", (p, s, d) -> new Subjects.DisruptorRaw(p, s, d, phased));
        rows.addAll(latency(ctx, "1p1s-latency-" + phased.configName(), backoff));
        return rows;
    }

    // A first pass runs every subject unrecorded, so that none is measured while the JVM is still compiling (on 2
    // cores the compiler threads compete with the bus; the first subject measured used to pay for it).
    private List<BenchResult> latency(BenchContext ctx, String c, Map<String, EventSubject.Factory> subjects)
            throws InterruptedException {
        long warm = TimeUnit.MILLISECONDS.toNanos(ctx.full() ? 5_000 : 1_000);
        long settle = TimeUnit.MILLISECONDS.toNanos(500);
        long measure = TimeUnit.MILLISECONDS.toNanos(ctx.full() ? 10_000 : 1_500);
        for (EventSubject.Factory f : subjects.values()) {
            FixedRateLatency.measure(f, RATE, warm, 0);
        }
        ctx.progress(String.format(Locale.ROOT, "events/%s: %,d events/s, timed from the scheduled send", c, RATE));
        List<BenchResult> rows = new ArrayList<>();
        for (Map.Entry<String, EventSubject.Factory> e : subjects.entrySet()) {
            Histogram h = FixedRateLatency.measure(e.getValue(), RATE, settle, measure);
            ctx.progress(String.format(Locale.ROOT, "  %-18s p50 %,9d ns  p99 %,11d ns  p99.9 %,11d ns (%d samples)",
                    e.getKey(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getTotalCount()));
            rows.add(new BenchResult(name(), c, e.getKey(), "p50_ns", h.getValueAtPercentile(50)));
            rows.add(new BenchResult(name(), c, e.getKey(), "p99_ns", h.getValueAtPercentile(99)));
            rows.add(new BenchResult(name(), c, e.getKey(), "p999_ns", h.getValueAtPercentile(99.9)));
        }
        return rows;
    }
}
