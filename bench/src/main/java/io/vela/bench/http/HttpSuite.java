package io.vela.bench.http;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.ForkedRun;
import io.vela.bench.cli.Suite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Suite {@code http}: Vela's HTTP edge ({@code vela}: handlers on a ring worker, the default; {@code vela-loop}:
 * handlers declared non-blocking, on the event loop) beside a raw Netty server with the same codec and a trivial
 * handler ({@code netty-raw}) and Vert.x 5 ({@code vertx-http}). Each server runs in a JVM of its own
 * ({@link ServerMain}, the JMH forks' flags and heap), one after the other, with the same topology: NIO, one event
 * loop for accept and I/O, 127.0.0.1 (Vela's runtime adds its one ring worker).
 *
 * <p>Cases: {@code plaintext} ({@code GET /plaintext}, 13-byte text answer) and {@code json} (a 56-byte JSON
 * object POSTed to {@code /json} and echoed back). Per subject and case:
 * <ul>
 *   <li>{@code req_per_sec}: answered requests per second at saturation, {@value #CONNECTIONS} keep-alive
 *       connections with one request each in flight. Measured by {@code wrk -t1} when it is on the PATH, else by
 *       the built-in generator ({@link LoadGenerator}, one Netty thread).</li>
 *   <li>{@code p50_ns}, {@code p99_ns}, {@code p999_ns}: latency at a fixed offered rate of {@value #RATE}
 *       requests/s over the same connections, measured by the built-in generator from each request's due time
 *       (HdrHistogram), so a stalled server is charged for every request it delays: no coordinated omission.</li>
 * </ul>
 *
 * <p><b>Caveat, to be printed beside any figure:</b> on a 2-core machine the load generator competes with the
 * server for the same cores (one generator thread, one server event loop, plus each JVM's JIT and GC threads).
 * Absolute req/s are therefore bounded by the generator as much as by the server; compare subjects within one
 * run, not across machines. Every answer is checked (status 200, expected body length) or the case fails.
 * Before its measured runs, each subject's JVM (and the generator) is warmed up on both cases, at saturation (by the
 * built-in generator and, when present, by {@code wrk}) and at the fixed rate. Quick mode: about 80 seconds for
 * the four subjects. The progress line of each latency run gives the generator's own lateness (due time to issue
 * time) and its thread's CPU share, so a generator that fell behind or took a core from the server is seen beside
 * the figures.
 */
public final class HttpSuite implements Suite {
    /** The subjects, in the order they run. */
    static final List<String> SUBJECTS = List.of("vela", "vela-loop", "netty-raw", "vertx-http");
    /** Server event loops, the same for every subject. */
    static final int SERVER_LOOPS = 1;
    /** Keep-alive connections the generator opens. */
    static final int CONNECTIONS = 16;
    /** Offered rate of the latency runs, requests per second. */
    static final int RATE = 2_000;

    /** Phase lengths in ms: saturation warm-up and window, latency warm-up and window. */
    private record Timing(long satWarm, long satMeasure, long latWarm, long latMeasure) {
        static Timing of(BenchContext ctx) {
            return ctx.full() ? new Timing(5_000, 10_000, 5_000, 15_000) : new Timing(1_000, 2_000, 1_000, 2_000);
        }
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        Timing t = Timing.of(ctx);
        Optional<Path> wrk = Wrk.find();
        ctx.progress(String.format(Locale.ROOT, "http: %d server event loop(s), %d connections; saturation by %s, "
                + "latency at %,d req/s by the built-in generator; generator and server share the cores",
                SERVER_LOOPS, CONNECTIONS, wrk.map(p -> "wrk (" + p + ")").orElse("the built-in generator"), RATE));
        List<BenchResult> rows = new ArrayList<>();
        for (String subject : SUBJECTS) {
            try (ServerProcess server = new ServerProcess(subject, SERVER_LOOPS)) {
                for (HttpCase c : HttpCase.values()) { // JIT warm-up of both paths (and the generator), unmeasured
                    try (LoadGenerator gen = new LoadGenerator(server.port(), c, CONNECTIONS)) {
                        gen.saturate(t.satWarm(), 1);
                        if (wrk.isPresent()) { // the server's JIT sees the measuring client's requests before it counts
                            Wrk.saturate(wrk.get(), server.port(), c, CONNECTIONS, (int) Math.max(1, t.satWarm() / 1000));
                        }
                        gen.fixedRate(RATE, t.latWarm(), 0); // the idle-and-wake paths of server and generator
                    }
                }
                for (HttpCase c : HttpCase.values()) {
                    rows.addAll(measure(ctx, subject, server.port(), c, wrk, t));
                }
            }
        }
        return rows;
    }

    private List<BenchResult> measure(BenchContext ctx, String subject, int port, HttpCase c, Optional<Path> wrk,
            Timing t) throws Exception {
        List<BenchResult> rows = new ArrayList<>();
        double reqPerSec;
        try (LoadGenerator gen = new LoadGenerator(port, c, CONNECTIONS)) {
            if (wrk.isPresent()) {
                Wrk.saturate(wrk.get(), port, c, CONNECTIONS, (int) Math.max(1, t.satWarm() / 1000));
                reqPerSec = Wrk.saturate(wrk.get(), port, c, CONNECTIONS, (int) Math.max(1, t.satMeasure() / 1000));
            } else {
                reqPerSec = gen.saturate(t.satWarm(), t.satMeasure());
            }
            ctx.progress(String.format(Locale.ROOT, "http/%s: %-12s %,12.0f req/s at saturation", c.caseName,
                    subject, reqPerSec));
            rows.add(new BenchResult(name(), c.caseName, subject, "req_per_sec", reqPerSec));
            Histogram h = gen.fixedRate(RATE, t.latWarm(), t.latMeasure());
            Histogram lag = gen.pacerLag();
            ctx.progress(String.format(Locale.ROOT, "http/%s: %-12s p50 %,d ns, p99 %,d ns at %,d req/s "
                    + "(the generator's own lateness: p50 %,d ns, p99 %,d ns; its thread's CPU %.0f%%)", c.caseName,
                    subject, h.getValueAtPercentile(50), h.getValueAtPercentile(99), RATE,
                    lag.getValueAtPercentile(50), lag.getValueAtPercentile(99),
                    100.0 * gen.generatorCpuNs() / TimeUnit.MILLISECONDS.toNanos(t.latWarm() + t.latMeasure())));
            rows.addAll(ForkedRun.latencyRows(ctx, name(), c.caseName, new String[] {subject,
                    Long.toString(h.getValueAtPercentile(50)), Long.toString(h.getValueAtPercentile(99)),
                    Long.toString(h.getValueAtPercentile(99.9)), Long.toString(h.getTotalCount())}));
        }
        return rows;
    }
}
