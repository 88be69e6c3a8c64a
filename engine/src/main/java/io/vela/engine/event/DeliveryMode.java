package io.vela.engine.event;

/** Where a subscription's handler runs. */
public enum DeliveryMode {
    /** On a bus consumer thread, shared with the topic's other inline subscribers: lowest latency. */
    INLINE,
    /**
     * On the runtime's executor, one delivery at a time per subscription, in publish order; at most
     * {@code maxInFlight} events wait per subscription, then the consumer thread waits.
     */
    OFFLOADED,
    /** The handler returns a {@link java.util.concurrent.CompletionStage}; see {@link AsyncEventHandler}. */
    ASYNC
}
