package io.vela.bench.events;

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
 * Case {@code 1p1s}: one publisher, one subscriber.
 *
 * <pre>
 *   publisher ──▶ [ ring ] ──▶ consumer thread: subscriber 0
 * </pre>
 *
 * <p>Throughput in delivered events per second (each invocation publishes {@link SubjectState#BATCH} events and
 * waits until every subscriber received them). Vela and disruptor-raw use the yielding wait strategy: two threads
 * (publisher, consumer): fits 2 cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class OneToOneBenchmark {
    static final int PUBLISHERS = 1;
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

    /** Vela, object events on the default topic (one allocation per publish, like Guava and Vert.x). */
    @State(Scope.Benchmark)
    public static class VelaObjectState extends SubjectState {
        /** Wires the topology. */
        public VelaObjectState() {
            super(Subjects.VelaObject::new, PUBLISHERS, SUBSCRIBERS);
        }
    }

    /**
     * @param s the bus
     * @param p this thread's publisher
     */
    @Benchmark
    @OperationsPerInvocation(SubjectState.BATCH)
    public void velaObject(VelaObjectState s, PublisherState p) {
        s.run(p);
    }
}
