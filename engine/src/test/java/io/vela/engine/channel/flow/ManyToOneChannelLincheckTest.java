package io.vela.engine.channel.flow;

import io.vela.engine.channel.ChannelArity;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * Linearizability of a many-to-one channel: sends from any thread, polls from one (a Lincheck non-parallel group);
 * 3 threads; {@code close} and {@code isDrained} from any.
 */
public class ManyToOneChannelLincheckTest extends AnySenderLincheckSupport {
    /** Lincheck makes one instance per scenario. */
    public ManyToOneChannelLincheckTest() {
        super(3, ChannelArity.MANY_TO_ONE);
    }

    /** @return head or -1, from the one consumer thread */
    @Operation(nonParallelGroup = "consumer")
    public int pollOrElse() {
        return poll();
    }
}
