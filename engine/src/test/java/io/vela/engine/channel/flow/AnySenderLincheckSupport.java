package io.vela.engine.channel.flow;

import io.vela.engine.OfferResult;
import io.vela.engine.channel.ChannelArity;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/** Lincheck operations of the many-producer arities: {@code trySend} from any thread. */
public abstract class AnySenderLincheckSupport extends ChannelLincheckSupport {
    /**
     * @param threads threads in Lincheck's parallel part
     * @param arity   a many-producer arity
     */
    protected AnySenderLincheckSupport(int threads, ChannelArity arity) {
        super(threads, arity);
    }

    /** @param value element @return the channel's answer */
    @Operation
    public OfferResult trySend(@Param(name = "value") int value) {
        return send(value);
    }
}
