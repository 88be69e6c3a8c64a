package io.vela.bench.floor;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.LatencyRows;
import io.vela.bench.cli.Suite;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Suite {@code floor}: this machine's physical floor for cross-thread communication, so that every latency Vela
 * reports can be read against the limit of the hardware it ran on.
 *
 * <pre>
 *   pinger ──writes seq──▶ [ one volatile long ] ◀──writes seq+1── ponger
 *          ◀────────────── spins until seq+1                spins until seq
 * </pre>
 *
 * Two threads spin on one volatile field (exactly two spinning threads: fits 2 cores). Each round trip is timed
 * with {@code System.nanoTime()} and recorded in an HdrHistogram; reported as {@code p50_ns}, {@code p99_ns},
 * {@code p999_ns} of the round trip, subject {@code volatile-pingpong}.
 */
public final class FloorSuite implements Suite {

    @Override
    public String name() {
        return "floor";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws InterruptedException {
        long warmNanos = ctx.full() ? 3_000_000_000L : 1_000_000_000L;
        long measureNanos = ctx.full() ? 10_000_000_000L : 2_000_000_000L;
        ctx.progress("floor/round-trip: volatile ping-pong between two spinning threads");
        PingPong.measure(warmNanos);
        Histogram h = PingPong.measure(measureNanos);
        ctx.progress(String.format(Locale.ROOT, "  round trip p50 %d ns, p99 %d ns, p99.9 %d ns (%d samples)",
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                h.getTotalCount()));
        String c = "round-trip";
        String s = "volatile-pingpong";
        return LatencyRows.of(name(), c, s, h);
    }

    /** The two-thread ping-pong; the pinger (caller) records, the ponger echoes. */
    static final class PingPong {
        private volatile long value;
        private volatile boolean stop;

        static Histogram measure(long nanos) throws InterruptedException {
            PingPong p = new PingPong();
            Histogram h = new Histogram(10_000_000_000L, 3);
            Thread ponger = new Thread(p::pong, "vela-bench-ponger");
            ponger.setDaemon(true);
            ponger.start();
            long end = System.nanoTime() + nanos;
            long seq = 0;
            while (true) {
                long t0 = System.nanoTime();
                if (t0 >= end) {
                    break;
                }
                p.value = seq + 1;
                while (p.value != seq + 2) {
                    Thread.onSpinWait();
                }
                h.recordValue(System.nanoTime() - t0);
                seq += 2;
            }
            p.stop = true;
            ponger.join();
            return h;
        }

        private void pong() {
            long expect = 1;
            while (!stop) {
                if (value == expect) {
                    value = expect + 1;
                    expect += 2;
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
