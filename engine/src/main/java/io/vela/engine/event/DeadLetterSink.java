package io.vela.engine.event;

/**
 * Receives events a handler failed on, under {@link ErrorPolicy#deadLetter(DeadLetterSink)}. Called on the thread
 * that ran the handler; must not throw (what it throws is logged). For a preallocated topic the event is the ring
 * slot: copy what you need.
 */
@FunctionalInterface
public interface DeadLetterSink {
    /**
     * @param subscription the failing subscription's name
     * @param event        the event
     * @param error        what the handler threw (after any retries)
     */
    void accept(String subscription, Object event, Throwable error);
}
