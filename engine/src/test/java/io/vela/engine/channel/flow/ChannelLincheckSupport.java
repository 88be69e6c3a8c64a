package io.vela.engine.channel.flow;

import io.vela.engine.OfferResult;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelArity;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the per-arity Lincheck tests share: one channel of the smallest capacity (2, so that {@code FULL} is reached
 * in a few operations), the operations they check against {@link BoundedQueueSpec}, and the model checking test, sized to a few
 * seconds on a quiet machine. Subclasses declare the {@code @Operation}s with
 * the thread restrictions of their arity (Lincheck reads annotated methods of superclasses too).
 *
 * <p>What is checked strictly: {@code trySend} and {@code pollOrElse} for every arity, plus {@code close} for
 * one-to-one. Two races with {@code close} are not linearizable today; {@link ChannelCloseRaceLincheckTest} pins
 * them down. The model checker sees the channel's own atomics but not the inside of Agrona's queues (they use
 * {@code Unsafe} directly), so it checks the channel's protocol with each queue operation taken as atomic; only
 * stress runs on real threads test the queues too. They pass for one-to-one ({@link OneToOneChannelLincheckTest});
 * for the many-sender arities they find that a poll may see an empty channel while an element from a finished send
 * waits behind a send that has claimed the slot before it and not yet written it (Agrona's multi-producer queues
 * work that way), so there is no stress test for those. Lincheck makes a fresh instance (a fresh channel)
 * per scenario; JUnit's instance only starts the runs.
 */
@Tag("lincheck")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public abstract class ChannelLincheckSupport {
    static final int CAPACITY = 2;
    static final int EMPTY = -1;

    private final int threads;
    private final Channel<Integer> channel;

    protected ChannelLincheckSupport(int threads, ChannelArity arity) {
        this.threads = threads;
        this.channel = Channel.<Integer>builder("lincheck-" + arity).capacity(CAPACITY).arity(arity).build();
    }

    OfferResult send(int value) {
        return channel.trySend(value);
    }

    int poll() {
        return channel.pollOrElse(EMPTY);
    }

    /** Close; an operation only where a subclass declares it one (overriding with {@code @Operation}). */
    public void close() {
        channel.close();
    }

    /** @return closed and empty; used by the custom scenarios of {@link ChannelCloseRaceLincheckTest} */
    public boolean isDrained() {
        return channel.isDrained();
    }

    /** Explores interleavings of small scenarios (Lincheck's model checker: sequential consistency). */
    @Test
    @Timeout(30)
    void linearizableUnderModelChecking() {
        modelChecking(BoundedQueueSpec.class).check(getClass());
    }

    /** @param specification the sequential specification @return the model checking run of this arity */
    ModelCheckingOptions modelChecking(Class<?> specification) {
        return new ModelCheckingOptions()
                .sequentialSpecification(specification)
                .iterations(30)
                .invocationsPerIteration(300)
                .threads(threads)
                .actorsPerThread(threads == 2 ? 3 : 2)
                .actorsBefore(2)
                .actorsAfter(2);
    }
}
