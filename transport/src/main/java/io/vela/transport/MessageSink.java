package io.vela.transport;

import io.vela.engine.OfferResult;

/**
 * Where messages leave the process: a cross-process ring writer, a broadcast publisher, an Aeron publication. An
 * offer never waits; the caller applies its own overflow policy to {@link OfferResult#FULL}.
 */
@FunctionalInterface
public interface MessageSink {
    /**
     * @param message a message the sink's codec knows
     * @return {@link OfferResult#ACCEPTED}, {@link OfferResult#FULL} or {@link OfferResult#CLOSED}
     */
    OfferResult offer(Object message);
}
