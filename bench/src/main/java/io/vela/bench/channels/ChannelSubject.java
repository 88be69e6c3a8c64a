package io.vela.bench.channels;

import org.agrona.concurrent.IdleStrategy;

/**
 * One bounded channel under test, with the capacity and the sender count of its case. The non-blocking pair
 * ({@link #offer}, {@link #poll}) is used by the polling cases; the blocking pair ({@link #put}, {@link #take}) by
 * the parked case. Queues without a blocking API wait with the idle strategy they are given, one per thread.
 */
interface ChannelSubject extends AutoCloseable {
    /**
     * @param t the token
     * @return false when full; never waits
     */
    boolean offer(Token t);

    /** @return the next token, or {@code null} when empty; never waits */
    Token poll();

    /**
     * Sends, waiting for room.
     *
     * @param t    the token
     * @param idle the calling thread's idle strategy, for queues that cannot park by themselves
     * @throws InterruptedException if interrupted while waiting
     */
    default void put(Token t, IdleStrategy idle) throws InterruptedException {
        while (!offer(t)) {
            idle.idle();
        }
        idle.reset();
    }

    /**
     * Receives, waiting for a token.
     *
     * @param idle the calling thread's idle strategy, for queues that cannot park by themselves
     * @return the token
     * @throws InterruptedException if interrupted while waiting
     */
    default Token take(IdleStrategy idle) throws InterruptedException {
        Token t;
        while ((t = poll()) == null) {
            idle.idle();
        }
        idle.reset();
        return t;
    }

    @Override
    void close();

    /** Makes a subject. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param senders  1 for a one-to-one channel, more for many-to-one
         * @param capacity slots (a power of two)
         * @param parked   true for the blocking case: a channel with a wait strategy of its own parks
         * @return the subject
         */
        ChannelSubject create(int senders, int capacity, boolean parked);
    }
}
