package io.vela.engine.event;

/**
 * Receives events. Inline handlers run on a bus consumer thread shared with other subscribers; offloaded handlers
 * on the executor, never two at once for one subscription. For a preallocated topic the event is the ring slot:
 * read it during the call, never keep it.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface EventHandler<E> {
    /**
     * @param event the event
     * @throws Exception handled by the subscription's {@link ErrorPolicy}
     */
    void onEvent(E event) throws Exception;
}
