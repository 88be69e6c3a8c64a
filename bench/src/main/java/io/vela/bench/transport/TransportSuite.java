package io.vela.bench.transport;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.JmhSettings;
import io.vela.bench.cli.Suite;
import java.util.ArrayList;
import java.util.List;

/**
 * Suite {@code transport}: case {@code codec} ({@link CodecBenchmark}: Vela's binary Chronicle Wire codec beside
 * Jackson and hand-written Chronicle marshalling, one encode + decode round trip per operation) and the
 * cross-process cases {@code ipc-round-trip} ({@link IpcBenchmark}) and {@code ipc-throughput}
 * ({@link IpcThroughputBenchmark}), Vela's rings to a second JVM beside the engine's in-process channels. Metrics:
 * {@code ops_per_sec} and {@code alloc_bytes_per_op} ({@code gc.alloc.rate.norm}, every thread of the benchmark
 * JVM; the echo process is not counted). Cases {@code aeron-udp} and {@code aeron-ipc}
 * ({@link io.vela.bench.transport.aeron.AeronCases}): Vela's publisher and subscription over Aeron beside raw Aeron
 * publication/subscription, same driver, same forked JVM. Quick mode: 1 fork, 1 s warm-up, 1 s measured per subject.
 */
public final class TransportSuite implements Suite {

    @Override
    public String name() {
        return "transport";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        JmhSettings settings = ctx.full() ? ctx.compactSettings()
                : ctx.compactSettings().withMeasurement(1, 1); // 8 forks: the quick suite stays near 35 s
        List<BenchResult> rows = new ArrayList<>();
        rows.addAll(ctx.jmh().run(name(), CodecBenchmark.class, "codec", settings));
        rows.addAll(ctx.jmh().run(name(), IpcBenchmark.class, "ipc-round-trip", settings));
        rows.addAll(ctx.jmh().run(name(), IpcThroughputBenchmark.class, "ipc-throughput", settings));
        rows.addAll(io.vela.bench.transport.aeron.AeronCases.run(ctx));
        return rows;
    }
}
