package io.vela.bench.transport;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Case {@code ipc-round-trip}: one message there and its answer back per operation. {@code vela}: Vela's
 * cross-process rings, to an echo in a second JVM; {@code in-process}: the engine's in-process channels, to an echo
 * thread. The throughput shape is {@link IpcThroughputBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IpcBenchmark {
    /** One-way messages per throughput invocation. */
    public static final int BATCH = 1000;

    /** Shared by both subjects: the echo and the messages (distinct objects: the in-process side passes references). */
    public abstract static class PairState {
        EchoPair pair;
        final BenchTick[] batch = new BenchTick[BATCH - 1];
        final BenchTick marker = new BenchTick(42, 7, 1.5, 1.75, -1);

        abstract EchoPair open() throws Exception;

        /** Starts the echo. */
        @Setup(Level.Trial)
        public void setup() throws Exception {
            for (int i = 0; i < batch.length; i++) {
                batch[i] = new BenchTick(42, i, 1.5, 1.75, i);
            }
            pair = open();
        }

        /** Stops it. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            pair.close();
        }

        long roundTrip() {
            pair.send(marker);
            return pair.reply().timestampNanos;
        }

        long batch() {
            for (BenchTick t : batch) {
                pair.send(t);
            }
            pair.send(marker);
            return pair.reply().timestampNanos;
        }
    }

    /** Cross-process. */
    @State(Scope.Benchmark)
    public static class Vela extends PairState {
        @Override
        EchoPair open() throws Exception {
            return EchoPair.crossProcess();
        }
    }

    /** In-process. */
    @State(Scope.Benchmark)
    public static class InProcess extends PairState {
        @Override
        EchoPair open() {
            return EchoPair.inProcess();
        }
    }

    /**
     * @param s the cross-process pair
     * @return a field of the answer
     */
    @Benchmark
    public long vela(Vela s) {
        return s.roundTrip();
    }

    /**
     * @param s the in-process pair
     * @return a field of the answer
     */
    @Benchmark
    public long inProcess(InProcess s) {
        return s.roundTrip();
    }
}
