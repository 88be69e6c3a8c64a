package io.vela.bench.events;

import io.vela.engine.WaitStrategy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Case {@code 2p1s}: two publishers, one subscriber (multi-producer ring for every subject).
 *
 * <pre>
 *   publisher 0 ──┐
 *                 ├──▶ [ ring ] ──▶ consumer thread: subscriber 0
 *   publisher 1 ──┘
 * </pre>
 *
 * <p>Throughput in delivered events per second (each invocation publishes {@link SubjectState#BATCH} events and
 * waits until every subscriber received them). Vela and disruptor-raw use the yielding wait strategy: three
 * threads (two publishers, one consumer) on 2 cores: the consumer and the waiting publishers yield, so none holds
 * a core it cannot use; figures include OS scheduling. {@code vela-lite-blocking} and
 * {@code disruptor-raw-lite-blocking} are the same pair with a parking consumer (three busy threads on two cores
 * otherwise: the spinning figures measure the scheduler as much as the ring).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
public class TwoToOneBenchmark {
    static final int PUBLISHERS = 2;
    static final int SUBSCRIBERS = 1;

    /** Vela, preallocated topic, translator publish. */
    @State(Scope.Benchmark)
    public static class VelaState extends SubjectState {
        /** Wires the topology. */
        public VelaState() {
            super(Subjects.Vela::new, PUBLISHERS, SUBSCRIBERS);
        }
    }

    /** Raw Disruptor. */
    @State(Scope.Benchmark)
    public static class RawState extends SubjectState {
        /** Wires the topology. */
        public RawState() {
            super(Subjects.DisruptorRaw::new, PUBLISHERS, SUBSCRIBERS);
        }
    }

    /** Guava AsyncEventBus. */
    @State(Scope.Benchmark)
    public static class GuavaState extends SubjectState {
        /** Wires the topology. */
        public GuavaState() {
            super(Subjects.Guava::new, PUBLISHERS, SUBSCRIBERS);
        }
    }

    /** Vert.x local event bus. */
    @State(Scope.Benchmark)
    public static class VertxState extends SubjectState {
        /** Wires the topology. */
        public VertxState() {
            super(Subjects.Vertx5::new, PUBLISHERS, SUBSCRIBERS);
        }
    }

    /**
     * @param s the bus
     * @param p this thread's publisher
     */
    @Benchmark
    @OperationsPerInvocation(SubjectState.BATCH)
    public void vela(VelaState s, PublisherState p) {
        s.run(p);
    }

    /**
     * @param s the bus
     * @param p this thread's publisher
     */
    @Benchmark
    @OperationsPerInvocation(SubjectState.BATCH)
    public void disruptorRaw(RawState s, PublisherState p) {
        s.run(p);
    }

    /** Vela with a parking (lite-blocking) consumer: three threads on 2 cores, none spinning while idle. */
    @State(Scope.Benchmark)
    public static class VelaParkingState extends SubjectState {
        /** Wires the topology. */
        public VelaParkingState() {
            super((pubs, subs, d) -> new Subjects.Vela(pubs, subs, d, WaitStrategy.LITE_BLOCKING), PUBLISHERS,
                    SUBSCRIBERS);
        }
    }

    /** Raw Disruptor (multi-producer) with a parking (lite-blocking) consumer. */
    @State(Scope.Benchmark)
    public static class RawParkingState extends SubjectState {
        /** Wires the topology. */
        public RawParkingState() {
            super((pubs, subs, d) -> new Subjects.DisruptorRaw(pubs, subs, d, WaitStrategy.LITE_BLOCKING),
                    PUBLISHERS, SUBSCRIBERS);
        }
    }

    /**
     * @param s the bus
     * @param p this thread's publisher
     */
    @Benchmark
    @OperationsPerInvocation(SubjectState.BATCH)
    public void velaLiteBlocking(VelaParkingState s, PublisherState p) {
        s.run(p);
    }

    /**
     * @param s the bus
     * @param p this thread's publisher
     */
    @Benchmark
    @OperationsPerInvocation(SubjectState.BATCH)
    public void disruptorRawLiteBlocking(RawParkingState s, PublisherState p) {
        s.run(p);
    }

    /**
     * @param s the bus
     * @param p this thread's publisher
     */
    @Benchmark
    @OperationsPerInvocation(SubjectState.BATCH)
    public void guavaEventbus(GuavaState s, PublisherState p) {
        s.run(p);
    }

    /**
     * @param s the bus
     * @param p this thread's publisher
     */
    @Benchmark
    @OperationsPerInvocation(SubjectState.BATCH)
    public void vertxEventbus(VertxState s, PublisherState p) {
        s.run(p);
    }
}
