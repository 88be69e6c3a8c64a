package io.vela.engine.event;

import java.util.concurrent.CompletionStage;

/**
 * Receives events and completes later. Called on the bus consumer thread, in publish order; should return at once.
 * At most {@code maxInFlight} returned stages are incomplete at a time per subscription; beyond that the consumer
 * thread waits (back-pressure). An exceptionally completed stage is a failure for the {@link ErrorPolicy}.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface AsyncEventHandler<E> {
    /**
     * @param event the event; for a preallocated topic the slot, held (not reused) until the stage completes
     * @return completes when the event is handled
     */
    CompletionStage<?> onEvent(E event);
}
