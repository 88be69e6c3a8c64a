package io.vela.bench.events;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * Case {@code batch}: one publisher publishing {@link SubjectState#BATCH} events with one batch publish, one
 * subscriber.
 *
 * <pre>
 *   publisher ──(1000 slots: one claim, one publish)──▶ [ ring ] ──▶ consumer thread: subscriber 0
 * </pre>
 *
 * <p>Vela: {@code Topic.publish(translator, array, 0, 1000)} on a single-publisher topic; disruptor-raw:
 * {@code RingBuffer.publishEvents(translator, array)} on a single-producer ring of the same size, both with the
 * yielding wait strategy. Throughput in delivered events per second (each invocation waits until every event was
 * received). The subjects are wired as in {@link OneToOneBenchmark} (its states).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class BatchPublishBenchmark {
    /**
     * @param s the bus
     * @param p this thread's publisher
     */
    @Benchmark
    @OperationsPerInvocation(SubjectState.BATCH)
    public void vela(OneToOneBenchmark.VelaState s, PublisherState p) {
        s.runBatch(p);
    }

    /**
     * @param s the bus
     * @param p this thread's publisher
     */
    @Benchmark
    @OperationsPerInvocation(SubjectState.BATCH)
    public void disruptorRaw(OneToOneBenchmark.RawState s, PublisherState p) {
        s.runBatch(p);
    }
}
