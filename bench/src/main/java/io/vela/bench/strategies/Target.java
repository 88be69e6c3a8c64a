package io.vela.bench.strategies;

/**
 * One Vela component under one wait strategy, with a single handler thread that reports into a {@link Recorder}.
 * {@link #send} is called by one driver thread only.
 */
interface Target extends AutoCloseable {
    /** @param intendedNanos when the message was meant to be sent; the handler records its lateness from it */
    void send(long intendedNanos);

    /** @return the handler side */
    Recorder recorder();

    @Override
    void close();
}
