package io.vela.bench.actors;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * JMH state for one actor system in one tell case ({@link #actorCase}), made once per trial. The JMH threads are the
 * senders; each invocation tells the counting actor {@link #BATCH} preallocated messages, then waits until all but the
 * last batch have been processed: at most two batches per sender are in flight, so Pekko's unbounded mailbox stays
 * bounded and Vela's ({@link ActorTopology#MAILBOX} slots) never fills. Throughput counts told messages, at most two
 * batches per sender ahead of the processed ones.
 *
 * <p>At the end of the trial every message is accounted for (processed once per tell), else the trial fails.
 */
@State(Scope.Benchmark)
public abstract class TellState {
    /** Messages per benchmark invocation. */
    public static final int BATCH = 1000;
    private static final int STRIDE = 16;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The case: {@code tell-1to1} (1 sender) or {@code fanin-2to1} (2 senders). */
    @Param({"tell-1to1", "fanin-2to1"})
    public String actorCase;

    private final TellSubject.Factory factory;
    private int senders;
    private TellSubject subject;
    private Tally tally;
    private long[] sent;

    TellState(TellSubject.Factory factory) {
        this.factory = factory;
    }

    /**
     * Starts the actor system and the counting actor.
     *
     * @param params the run's parameters: its thread count must be the case's sender count
     */
    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
        ActorTopology topology = switch (actorCase) {
            case "tell-1to1" -> ActorTopology.TELL;
            case "fanin-2to1" -> ActorTopology.FANIN;
            default -> throw new IllegalArgumentException("unknown actor case '" + actorCase
                    + "'; valid: tell-1to1, fanin-2to1");
        };
        senders = topology == ActorTopology.TELL ? 1 : 2;
        if (params.getThreads() != senders) {
            throw new IllegalArgumentException("actor case " + actorCase + " needs " + senders
                    + " JMH thread(s) (-t " + senders + "), not " + params.getThreads());
        }
        tally = new Tally(senders);
        sent = new long[senders * STRIDE];
        subject = factory.create(topology, senders, tally);
    }

    /** Waits until every message told has been processed, then stops the system; fails if one is missing. */
    @TearDown(Level.Trial)
    public void stop() {
        try {
            for (int s = 0; s < senders; s++) {
                awaitProcessed(s, sent[s * STRIDE]);
                if (tally.count(s) != sent[s * STRIDE]) {
                    throw new IllegalStateException("sender " + s + " told " + sent[s * STRIDE]
                            + " messages, the actor processed " + tally.count(s) + " (duplicated)");
                }
            }
        } finally {
            subject.close();
        }
    }

    /**
     * Tells {@link #BATCH} messages from the calling JMH thread, then waits until at most one batch of this
     * sender's is unprocessed. Not inlined, so that it is compiled once, early.
     *
     * @param tp the caller's JMH thread parameters (its index is its sender id)
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void tell(ThreadParams tp) {
        int s = tp.getThreadIndex();
        TellSubject subj = subject;
        for (int i = 0; i < BATCH; i++) {
            subj.tell(s);
        }
        long n = sent[s * STRIDE] + BATCH;
        sent[s * STRIDE] = n;
        awaitProcessed(s, n - BATCH);
    }

    private void awaitProcessed(int sender, long target) {
        if (tally.count(sender) >= target) {
            return;
        }
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (tally.count(sender) < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sender " + sender + ": " + tally.count(sender) + " of " + target
                        + " messages processed after " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS) + " s (lost)");
            }
            Thread.yield();
        }
    }
}
