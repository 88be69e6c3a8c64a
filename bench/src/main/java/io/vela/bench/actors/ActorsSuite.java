package io.vela.bench.actors;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.ForkedRun;
import io.vela.bench.cli.JmhSettings;
import io.vela.bench.cli.Suite;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Suite {@code actors}: Vela's actors ({@code vela}) beside Pekko typed ({@code pekko}), each on the same number
 * of dispatcher threads with the same messages per turn ({@link ActorTopology}).
 *
 * <ul>
 *   <li>{@code tell-1to1} and {@code fanin-2to1} ({@link TellBenchmark}), JMH:
 *       processed messages per second ({@code ops_per_sec}) and allocation per message
 *       ({@code alloc_bytes_per_op}, every thread). One worker: 2 threads for 1to1 (both busy), 3 for 2to1 (Vela's
 *       worker waits with phased-backoff, so it does not hold a core the senders need).</li>
 *   <li>{@code pingpong} and {@code ask}, {@link ActorLatency} in a forked JVM per subject: round trip
 *       {@code p50_ns}, {@code p99_ns}, {@code p999_ns} (HdrHistogram). pingpong: two workers, the main thread
 *       asleep; ask: one worker and the asking thread, which spins on each answer.</li>
 * </ul>
 *
 * No case runs more spinning threads than the two cores. Quick mode: about 40 s.
 */
public final class ActorsSuite implements Suite {
    /** The subjects of the round-trip cases. */
    static final List<String> SUBJECTS = List.of("vela", "pekko");

    @Override
    public String name() {
        return "actors";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        JmhSettings settings = ctx.compactSettings();
        List<BenchResult> rows = new ArrayList<>();
        rows.addAll(ctx.jmh().run(name(), TellBenchmark.class, "", settings.withThreads(1),
                new String[] {"actorCase", "tell-1to1"}));
        rows.addAll(ctx.jmh().run(name(), TellBenchmark.class, "", settings.withThreads(2),
                new String[] {"actorCase", "fanin-2to1"}));
        long warmMs = ctx.full() ? 5_000 : 1_000;
        long measureMs = ctx.full() ? 10_000 : 1_500;
        for (String c : List.of("pingpong", "ask")) {
            ctx.progress(String.format(Locale.ROOT, "actors/%s: round trips for %.1f s after %.1f s of warm-up, "
                    + "a forked JVM per subject", c, measureMs / 1e3, warmMs / 1e3));
            for (String subject : SUBJECTS) {
                for (String[] f : ForkedRun.results(ActorLatency.class, List.of(c, subject, Long.toString(warmMs),
                        Long.toString(measureMs)), 120)) {
                    rows.addAll(ForkedRun.latencyRows(ctx, name(), c, f));
                }
            }
        }
        return rows;
    }
}
