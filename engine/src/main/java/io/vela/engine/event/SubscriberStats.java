package io.vela.engine.event;

/**
 * Live counters of one subscription, readable from any thread without locks or allocation. Values read one after
 * another are not a consistent snapshot.
 */
public interface SubscriberStats {
    /** @return the subscription's name */
    String name();

    /** @return events handled (including those that succeeded on a retry) */
    long delivered();

    /** @return events of a matching type that the filter rejected */
    long filteredOut();

    /** @return ring slots a lossy subscription skipped because it fell behind (always 0 for lossless ones) */
    long dropped();

    /** @return events whose handler (or filter) failed for good, after any retries */
    long failed();

    /** @return offloaded or asynchronous deliveries accepted but not yet completed */
    long inFlight();

    /** @return how many sequences the subscription is behind the topic's publishers, right now */
    long lag();
}
