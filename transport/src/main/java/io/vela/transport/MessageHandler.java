package io.vela.transport;

/**
 * Receives decoded messages from a transport (a cross-process ring, a broadcast buffer, an Aeron subscription).
 * Called on the thread that polls, or on the reader's own thread; a handler that throws has that message counted as
 * failed and logged, and the next message is delivered.
 */
@FunctionalInterface
public interface MessageHandler {
    /** @param message the decoded message, never {@code null}; the handler may keep it */
    void onMessage(Object message);
}
