package io.vela.engine.channel.flow;

import io.vela.engine.OfferResult;
import io.vela.engine.channel.ChannelArity;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of a one-to-one channel: sends from one thread, polls from one other thread (Lincheck's
 * non-parallel groups); {@code close} and {@code isDrained} from either.
 */
public class OneToOneChannelLincheckTest extends ChannelLincheckSupport {
    /** Lincheck makes one instance per scenario. */
    public OneToOneChannelLincheckTest() {
        super(2, ChannelArity.ONE_TO_ONE);
    }

    /** @param value element @return the channel's answer, from the one producer thread */
    @Operation(nonParallelGroup = "producer")
    public OfferResult trySend(@Param(name = "value") int value) {
        return send(value);
    }

    /** @return head or -1, from the one consumer thread */
    @Operation(nonParallelGroup = "consumer")
    public int pollOrElse() {
        return poll();
    }

    /**
     * Runs scenarios on real threads: the inside of Agrona's queue too, which the model checker does not see, and
     * the reorderings of the real memory model. Slow on a loaded 2-core machine (Lincheck's threads meet at spinning barriers), so it runs in the slow pass.
     */
    @Test
    @Tag("slow")
    @Timeout(60)
    void linearizableUnderStress() {
        new StressOptions()
                .sequentialSpecification(BoundedQueueSpec.class)
                .iterations(10)
                .invocationsPerIteration(1_000)
                .threads(2)
                .actorsPerThread(3)
                .check(getClass());
    }
}
