package io.vela.engine.event;

/**
 * Live counters of one topic ring, readable from any thread without locks or allocation. Values read one after
 * another are not a consistent snapshot.
 */
public interface TopicStats {
    /** @return the topic's name */
    String name();

    /** @return slots in the topic's ring */
    int capacity();

    /** @return events accepted into the ring */
    long published();

    /** @return events no subscription's type matched */
    long dead();

    /** @return publishes refused (ring full under fail-fast or block-timeout, or bus closed) */
    long rejected();

    /** @return free slots right now (before the slowest lossless subscriber) */
    long remainingCapacity();

    /** @return active subscriptions */
    int subscribers();
}
