package io.vela.engine.event;

/**
 * Receives events. Inline handlers run on a bus consumer thread shared with other subscribers; offloaded handlers
 * on the executor (on the consumer thread when the executor refuses or is too busy to start them), never two at once
 * for one subscription. For a preallocated topic the event is the ring slot: read it during the call, never keep it.
 *
 * <p>A handler may restore its interrupt flag ({@code Thread.currentThread().interrupt()}): the bus clears it after
 * the call, so the next handler does not start interrupted. The bus interrupts a handler only when a shutdown gives
 * up waiting for it. A handler must not wait for its own topic: publishing into it while it is full is refused at
 * once with {@link io.vela.engine.RingFullException} (or use {@link Topic#tryPublish}).
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
