package io.vela.engine.channel.flow;

import io.vela.engine.OfferResult;
import io.vela.engine.channel.ChannelArity;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * Linearizability of a one-to-one channel: sends from one thread, polls from one other thread (Lincheck's
 * non-parallel groups); {@code close} from either.
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

    /** Close, from either thread. */
    @Operation
    @Override
    public void close() {
        super.close();
    }
}
