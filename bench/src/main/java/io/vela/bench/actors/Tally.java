package io.vela.bench.actors;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Messages an actor processed, per sender, each count on its own cache line. Written by the actor (one turn at a
 * time, so one writer), read by the senders waiting for their messages to be processed.
 */
final class Tally {
    private static final int STRIDE = 16;
    private final AtomicLongArray counts;

    /** @param senders how many senders */
    Tally(int senders) {
        counts = new AtomicLongArray((senders + 1) * STRIDE);
    }

    /** @param sender the sender of the message just processed */
    void processed(int sender) {
        int i = (sender + 1) * STRIDE;
        counts.lazySet(i, counts.get(i) + 1);
    }

    /**
     * @param sender a sender
     * @return how many of its messages were processed
     */
    long count(int sender) {
        return counts.get((sender + 1) * STRIDE);
    }
}
