package io.vela.engine.event;

/** Where a subscription's handler runs. */
public enum DeliveryMode {
    /** On a bus consumer thread, shared with the topic's other inline subscribers: lowest latency. */
    INLINE,
    /**
     * On the runtime's executor, one delivery at a time per subscription, in publish order; at most
     * {@code maxInFlight} events wait per subscription, then the consumer thread waits. The consumer never waits for
     * the executor itself: when it refuses the drain, or no drain has started for 10 ms while the window is full,
     * the consumer thread runs the drain (still one delivery at a time, in order).
     */
    OFFLOADED,
    /** The handler returns a {@link java.util.concurrent.CompletionStage}; see {@link AsyncEventHandler}. */
    ASYNC
}
