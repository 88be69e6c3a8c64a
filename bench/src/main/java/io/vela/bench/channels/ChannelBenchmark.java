package io.vela.bench.channels;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Suite {@code channels} in JMH: one method per subject, the case ({@link ChannelCase}) as the parameter
 * {@code channelCase}. The JMH threads are the senders: run {@code mpsc-2p} with {@code -t 2}, the others with
 * {@code -t 1} (the state refuses a mismatch).
 *
 * <pre>
 *   sender (JMH thread) ─┐
 *   [sender 1, mpsc-2p] ─┴─send──▶ [ 1024 slots ] ──receive──▶ receiver thread (counts per sender)
 * </pre>
 *
 * <p>Throughput in tokens sent per second; each invocation sends {@link ChannelState#BATCH}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChannelBenchmark {

    /** Vela's channel. */
    @State(Scope.Benchmark)
    public static class VelaState extends ChannelState {
        /** Wires the subject. */
        public VelaState() {
            super(ChannelSubjects::vela);
        }
    }

    /**
     * @param s  the channel
     * @param tp the sender's thread parameters
     * @throws InterruptedException if a blocking send is interrupted
     */
    @Benchmark
    @OperationsPerInvocation(ChannelState.BATCH)
    public void vela(VelaState s, ThreadParams tp) throws InterruptedException {
        s.send(tp);
    }

    /** The raw Agrona queue for the arity. */
    @State(Scope.Benchmark)
    public static class AgronaState extends ChannelState {
        /** Wires the subject. */
        public AgronaState() {
            super(ChannelSubjects::agrona);
        }
    }

    /** The JCTools array queue for the arity. */
    @State(Scope.Benchmark)
    public static class JctoolsState extends ChannelState {
        /** Wires the subject. */
        public JctoolsState() {
            super(ChannelSubjects::jctools);
        }
    }

    /** {@code ArrayBlockingQueue}. */
    @State(Scope.Benchmark)
    public static class JdkAbqState extends ChannelState {
        /** Wires the subject. */
        public JdkAbqState() {
            super(ChannelSubjects::jdkAbq);
        }
    }

    /**
     * @param s  the channel
     * @param tp the sender's thread parameters
     * @throws InterruptedException if a blocking send is interrupted
     */
    @Benchmark
    @OperationsPerInvocation(ChannelState.BATCH)
    public void agrona(AgronaState s, ThreadParams tp) throws InterruptedException {
        s.send(tp);
    }

    /**
     * @param s  the channel
     * @param tp the sender's thread parameters
     * @throws InterruptedException if a blocking send is interrupted
     */
    @Benchmark
    @OperationsPerInvocation(ChannelState.BATCH)
    public void jctools(JctoolsState s, ThreadParams tp) throws InterruptedException {
        s.send(tp);
    }

    /**
     * @param s  the channel
     * @param tp the sender's thread parameters
     * @throws InterruptedException if a blocking send is interrupted
     */
    @Benchmark
    @OperationsPerInvocation(ChannelState.BATCH)
    public void jdkAbq(JdkAbqState s, ThreadParams tp) throws InterruptedException {
        s.send(tp);
    }
}
