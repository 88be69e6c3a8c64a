package io.vela.transport;

/**
 * Where messages arrive from outside the process: a cross-process ring reader, a broadcast subscriber, an Aeron
 * subscription. Polled by one thread at a time; never waits.
 */
@FunctionalInterface
public interface MessageSource {
    /**
     * @param handler receives each decoded message on the calling thread
     * @param limit   the most records to take
     * @return how many records were taken; 0 when none (or closed)
     */
    int poll(MessageHandler handler, int limit);
}
