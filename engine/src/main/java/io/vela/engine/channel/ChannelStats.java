package io.vela.engine.channel;

/**
 * Live counters of one channel, readable from any thread at any time without locks or allocation. Each call reads
 * the current value; values read one after another are not a consistent snapshot.
 */
public interface ChannelStats {
    /** @return the channel's name */
    String name();

    /** @return slots in the channel */
    int capacity();

    /** @return elements accepted (a send or trySend that returned normally or {@code ACCEPTED}) */
    long sent();

    /** @return elements taken by receive, poll, drain or select */
    long received();

    /**
     * @return send calls refused: full (trySend, timeout, interrupt) or closed; a blocking send's retries are not
     *         counted, only its final refusal
     */
    long refused();

    /** @return elements in the channel right now */
    long depth();
}
