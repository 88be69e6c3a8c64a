package io.vela.bench.transport.aeron;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.ForkedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Aeron cases of suite {@code transport}: Vela over Aeron (subject {@code vela}) beside raw Aeron publication
 * and subscription ({@code aeron-raw}), in the same forked JVM and against the same embedded driver, on loopback
 * UDP (case {@code aeron-udp}) and IPC ({@code aeron-ipc}). Metrics: {@code msgs_per_sec} (32-byte messages
 * received per second, the median of the rounds), {@code alloc_bytes_per_msg} (the sending thread's allocation
 * per message) and {@code recv_cpu_ns_per_msg} (the receiving thread's CPU time per message, idle polling
 * included). Topology for 2 cores: one shared driver thread and one receiving thread, both with a backoff idle
 * strategy, beside the sending thread ({@link AeronThroughput}). Quick mode: about 25-30 s.
 */
public final class AeronCases {
    private static final String SUITE = "transport";

    private AeronCases() {
    }

    /**
     * @param ctx the run's mode and progress sink
     * @return the rows of both cases
     * @throws Exception when a fork fails
     */
    public static List<BenchResult> run(BenchContext ctx) throws Exception {
        List<BenchResult> rows = new ArrayList<>();
        for (String mode : List.of("udp", "ipc")) {
            rows.addAll(run(ctx, mode));
        }
        return rows;
    }

    private static List<BenchResult> run(BenchContext ctx, String mode) throws Exception {
        String c = "aeron-" + mode;
        long warmMs = ctx.full() ? 1_000 : 300;
        long measureMs = ctx.full() ? 2_000 : 800;
        int rounds = ctx.full() ? 8 : 4;
        ctx.progress(String.format(Locale.ROOT, "%s/%s: %d-byte messages, vela vs aeron-raw, %d rounds (forked JVM)",
                SUITE, c, BenchFrame.LENGTH, rounds));
        List<BenchResult> rows = new ArrayList<>();
        for (String[] f : ForkedRun.results(AeronThroughput.class, List.of(mode, Long.toString(warmMs),
                Long.toString(measureMs), Integer.toString(rounds)), 120)) {
            double rate = Double.parseDouble(f[1]);
            double alloc = Double.parseDouble(f[2]);
            double cpu = Double.parseDouble(f[3]);
            ctx.progress(String.format(Locale.ROOT, "  %-10s %,14.0f msgs/s  %6.2f B/msg (sender)  %6.1f CPU ns/msg "
                    + "(receiver)", f[0], rate, alloc, cpu));
            rows.add(new BenchResult(SUITE, c, f[0], "msgs_per_sec", rate));
            rows.add(new BenchResult(SUITE, c, f[0], "alloc_bytes_per_msg", alloc));
            rows.add(new BenchResult(SUITE, c, f[0], "recv_cpu_ns_per_msg", cpu));
        }
        return rows;
    }
}
