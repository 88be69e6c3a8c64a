package io.vela.bench.events;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/** One JMH thread's publisher: its id is the JMH thread index. */
@State(Scope.Thread)
public class PublisherState {
    Sender sender;
    /** {@link SubjectState#BATCH} references to {@link #sender}: the argument array of a batch publish. */
    Sender[] batch;

    /** @param tp JMH's thread parameters */
    @Setup(Level.Trial)
    public void setup(ThreadParams tp) {
        sender = new Sender(tp.getThreadIndex());
        batch = new Sender[SubjectState.BATCH];
        java.util.Arrays.fill(batch, sender);
    }
}
