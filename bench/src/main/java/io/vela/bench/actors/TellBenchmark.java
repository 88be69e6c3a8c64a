package io.vela.bench.actors;

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
 * The tell cases of suite {@code actors} in JMH, the case as the parameter {@code actorCase}; the JMH threads are
 * the senders (run {@code tell-1to1} with {@code -t 1}, {@code fanin-2to1} with {@code -t 2}).
 *
 * <pre>
 *   sender 0 (JMH thread) ─────────┐
 *   [sender 1, fanin-2to1 only] ───┴─tell──▶ [ mailbox ] ──▶ counting actor (1 dispatcher thread)
 * </pre>
 *
 * <p>{@code tell-1to1}: two busy threads (the sender; the one worker, which Vela lets spin then yield): fits 2
 * cores. {@code fanin-2to1}: three threads on two cores: Vela's worker waits with {@code phased-backoff} (spins
 * briefly, then parks), Pekko's fork-join thread parks, and a sender waiting for its batch yields; the figures
 * include OS scheduling.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TellBenchmark {

    /** Vela's actors. */
    @State(Scope.Benchmark)
    public static class VelaState extends TellState {
        /** Wires the subject. */
        public VelaState() {
            super(VelaActorSubjects::tell);
        }
    }

    /**
     * @param s  the actor system
     * @param tp the sender's thread parameters
     */
    @Benchmark
    @OperationsPerInvocation(TellState.BATCH)
    public void vela(VelaState s, ThreadParams tp) {
        s.tell(tp);
    }

    /** Pekko typed. */
    @State(Scope.Benchmark)
    public static class PekkoState extends TellState {
        /** Wires the subject. */
        public PekkoState() {
            super(PekkoSubjects::tell);
        }
    }

    /**
     * @param s  the actor system
     * @param tp the sender's thread parameters
     */
    @Benchmark
    @OperationsPerInvocation(TellState.BATCH)
    public void pekko(PekkoState s, ThreadParams tp) {
        s.tell(tp);
    }
}
