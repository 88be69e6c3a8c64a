package io.vela.bench.transport;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Case {@code ipc-throughput}: one-way messages per second, in batches of {@value IpcBenchmark#BATCH} whose last one
 * the echo answers (so at most a batch is in flight and every message is accounted for by the answer's order). Same
 * subjects as {@link IpcBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IpcThroughputBenchmark {
    /**
     * @param s the cross-process pair
     * @return a field of the answer
     */
    @Benchmark
    @OperationsPerInvocation(IpcBenchmark.BATCH)
    public long vela(IpcBenchmark.Vela s) {
        return s.batch();
    }

    /**
     * @param s the in-process pair
     * @return a field of the answer
     */
    @Benchmark
    @OperationsPerInvocation(IpcBenchmark.BATCH)
    public long inProcess(IpcBenchmark.InProcess s) {
        return s.batch();
    }
}
