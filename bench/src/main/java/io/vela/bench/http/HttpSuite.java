package io.vela.bench.http;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.ForkedRun;
import io.vela.bench.cli.Suite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Suite {@code http}: Vela's HTTP edge ({@code vela}: handlers on a ring worker, the default; {@code vela-loop}:
 * handlers declared non-blocking, on the event loop) beside a raw Netty server with the same codec and a trivial
 * handler ({@code netty-raw}) and Vert.x 5 ({@code vertx-http}). Each server runs in a JVM of its own
 * ({@link ServerMain}, the JMH forks' flags and heap), with the same topology: NIO, one event loop for accept and
 * I/O, 127.0.0.1 (Vela's runtime adds its one ring worker). The servers are started one after the other and stay
 * up until the end: each is warmed up and measured at saturation while the others idle, then the latency windows
 * run in rounds over all of them.
 *
 * <p>Cases: {@code plaintext} ({@code GET /plaintext}, 13-byte text answer) and {@code json} (a 56-byte JSON
 * object POSTed to {@code /json} and echoed back). Per subject and case:
 * <ul>
 *   <li>{@code req_per_sec}: answered requests per second at saturation, {@value #CONNECTIONS} keep-alive
 *       connections with one request each in flight. Measured by {@code wrk -t1} when it is on the PATH, else by
 *       the built-in generator ({@link LoadGenerator}, one Netty thread).</li>
 *   <li>{@code p50_ns}, {@code p99_ns}, {@code p999_ns}: latency at a fixed offered rate of {@value #RATE}
 *       requests/s over the same connections, measured by the built-in generator from each request's due time
 *       (HdrHistogram), so a stalled server is charged for every request it delays: no coordinated omission.
 *       Measured in rounds (5; each a short window per subject and case, in the same order every round): p50 and p99
 *       are the median of the rounds' values, p99.9 comes from all rounds' samples together. This machine stalls a
 *       thread for milliseconds now and then whatever it runs; one window of a few seconds per subject let such
 *       stalls decide a p99 (in earlier versions, the first window measured after a server started was often the
 *       worst whichever case it was).</li>
 * </ul>
 *
 * <p><b>Caveat, to be printed beside any figure:</b> on a 2-core machine the load generator competes with the
 * server for the same cores (one generator thread, one server event loop, plus each JVM's JIT and GC threads).
 * Absolute req/s are therefore bounded by the generator as much as by the server; compare subjects within one
 * run, not across machines. Every answer is checked (status 200, expected body length) or the case fails.
 * Before its measured runs, each subject's JVM (and the generator) is warmed up on both cases, at saturation (by the
 * built-in generator and, when present, by {@code wrk}) and at the fixed rate. Quick mode: about 110 seconds for
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

    /**
     * Phase lengths in ms (saturation warm-up and window; the latency warm-up per subject and case before the rounds)
     * and the latency rounds: how many, and each round's warm-up and measured window per subject and case.
     */
    private record Timing(long satWarm, long satMeasure, long latWarm, int rounds, long roundWarm, long roundMeasure) {
        static Timing of(BenchContext ctx) {
            return ctx.full() ? new Timing(5_000, 10_000, 5_000, 5, 500, 3_000)
                    : new Timing(1_000, 2_000, 1_000, 5, 300, 1_000);
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
                + "latency at %,d req/s by the built-in generator in %d rounds over the %d live servers; generator "
                + "and servers share the cores", SERVER_LOOPS, CONNECTIONS,
                wrk.map(p -> "wrk (" + p + ")").orElse("the built-in generator"), RATE, t.rounds(), SUBJECTS.size()));
        List<BenchResult> rows = new ArrayList<>();
        Map<String, ServerProcess> servers = new LinkedHashMap<>();
        try {
            for (String subject : SUBJECTS) { // each warmed up, then its saturation runs, while the others idle
                ServerProcess server = new ServerProcess(subject, SERVER_LOOPS);
                servers.put(subject, server);
                warmUp(server.port(), wrk, t);
                for (HttpCase c : HttpCase.values()) {
                    rows.add(saturation(ctx, subject, server.port(), c, wrk, t));
                }
            }
            rows.addAll(latencyRounds(ctx, servers, t));
        } finally {
            for (ServerProcess server : servers.values()) {
                server.close();
            }
        }
        return rows;
    }

    /** JIT warm-up of both paths of one server (and the generator), unmeasured. */
    private static void warmUp(int port, Optional<Path> wrk, Timing t) throws Exception {
        for (HttpCase c : HttpCase.values()) {
            try (LoadGenerator gen = new LoadGenerator(port, c, CONNECTIONS)) {
                gen.saturate(t.satWarm(), 1);
                if (wrk.isPresent()) { // the server's JIT sees the measuring client's requests before it counts
                    Wrk.saturate(wrk.get(), port, c, CONNECTIONS, (int) Math.max(1, t.satWarm() / 1000));
                }
                gen.fixedRate(RATE, t.latWarm(), 0); // the idle-and-wake paths of server and generator
            }
        }
    }

    private BenchResult saturation(BenchContext ctx, String subject, int port, HttpCase c, Optional<Path> wrk,
            Timing t) throws Exception {
        double reqPerSec;
        if (wrk.isPresent()) {
            Wrk.saturate(wrk.get(), port, c, CONNECTIONS, (int) Math.max(1, t.satWarm() / 1000));
            reqPerSec = Wrk.saturate(wrk.get(), port, c, CONNECTIONS, (int) Math.max(1, t.satMeasure() / 1000));
        } else {
            try (LoadGenerator gen = new LoadGenerator(port, c, CONNECTIONS)) {
                reqPerSec = gen.saturate(t.satWarm(), t.satMeasure());
            }
        }
        ctx.progress(String.format(Locale.ROOT, "http/%s: %-12s %,12.0f req/s at saturation", c.caseName, subject,
                reqPerSec));
        return new BenchResult(name(), c.caseName, subject, "req_per_sec", reqPerSec);
    }

    /**
     * The latency windows, interleaved: every round measures every subject and case once, in the same order, while
     * all the servers stay up (the idle ones cost nothing measurable here: no spinning thread). This machine stalls
     * a thread for milliseconds now and then, whoever runs; interleaving spreads those stalls over the subjects
     * instead of charging them to whichever ran at the time, and the median over the rounds keeps one unlucky
     * window from deciding a p99.
     *
     * @return per subject and case: p50 and p99, the median of the rounds' values; p99.9 of all rounds' samples
     *         together (one round has too few for it)
     */
    private List<BenchResult> latencyRounds(BenchContext ctx, Map<String, ServerProcess> servers, Timing t)
            throws Exception {
        Map<String, RoundStats> stats = new LinkedHashMap<>();
        for (int round = 1; round <= t.rounds(); round++) {
            for (Map.Entry<String, ServerProcess> e : servers.entrySet()) {
                for (HttpCase c : HttpCase.values()) {
                    try (LoadGenerator gen = new LoadGenerator(e.getValue().port(), c, CONNECTIONS)) {
                        Histogram h = gen.fixedRate(RATE, t.roundWarm(), t.roundMeasure());
                        Histogram lag = gen.pacerLag();
                        ctx.progress(String.format(Locale.ROOT, "http/%s: %-12s round %d: p50 %,d ns, p99 %,d ns "
                                + "at %,d req/s (the generator's own lateness: p50 %,d ns, p99 %,d ns; its thread's "
                                + "CPU %.0f%%)", c.caseName, e.getKey(), round, h.getValueAtPercentile(50),
                                h.getValueAtPercentile(99), RATE, lag.getValueAtPercentile(50),
                                lag.getValueAtPercentile(99), 100.0 * gen.generatorCpuNs()
                                        / TimeUnit.MILLISECONDS.toNanos(t.roundWarm() + t.roundMeasure())));
                        stats.computeIfAbsent(c.caseName + "/" + e.getKey(), k -> new RoundStats()).add(h);
                    }
                }
            }
        }
        List<BenchResult> rows = new ArrayList<>();
        for (HttpCase c : HttpCase.values()) {
            for (String subject : servers.keySet()) {
                RoundStats s = stats.get(c.caseName + "/" + subject);
                rows.addAll(ForkedRun.latencyRows(ctx, name(), c.caseName, new String[] {subject,
                        Long.toString(s.medianOf(50)), Long.toString(s.medianOf(99)),
                        Long.toString(s.all.getValueAtPercentile(99.9)), Long.toString(s.all.getTotalCount())}));
            }
        }
        return rows;
    }

    /** One subject and case over the latency rounds. */
    static final class RoundStats {
        final Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final List<Histogram> rounds = new ArrayList<>();

        void add(Histogram round) {
            rounds.add(round);
            all.add(round);
        }

        /** @return the median over the rounds of each round's value at {@code percentile} (the lower middle one) */
        long medianOf(double percentile) {
            long[] v = rounds.stream().mapToLong(h -> h.getValueAtPercentile(percentile)).sorted().toArray();
            return v[(v.length - 1) / 2];
        }
    }
}
