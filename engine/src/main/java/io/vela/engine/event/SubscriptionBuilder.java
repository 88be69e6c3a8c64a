package io.vela.engine.event;

import java.util.function.Predicate;

/**
 * Describes a subscription, then makes it with {@link #subscribe(EventHandler)} or
 * {@link #subscribeAsync(AsyncEventHandler)}. Defaults: inline, lossless, {@link ErrorPolicy#logAndContinue()},
 * no filter, the least-loaded consumer thread, {@code events.async-max-in-flight}.
 *
 * <pre>{@code
 * bus.subscriber(Order.class)
 *    .name("risk")
 *    .filter(o -> o.quantity() > 1_000)
 *    .errorPolicy(ErrorPolicy.retry(3, Duration.ofMillis(1)))
 *    .subscribe(risk::check);
 * }</pre>
 *
 * Not thread-safe; use one builder on one thread.
 *
 * @param <E> the event type
 */
public interface SubscriptionBuilder<E> {
    /**
     * @param name shown in stats, logs and dead letters
     * @return this
     */
    SubscriptionBuilder<E> name(String name);

    /**
     * @param filter evaluated on the bus consumer thread before delivery; must not allocate to keep the bus
     *               allocation-free; events it rejects are counted in {@link SubscriberStats#filteredOut()}
     * @return this
     */
    SubscriptionBuilder<E> filter(Predicate<? super E> filter);

    /**
     * @param mode {@link DeliveryMode#INLINE} or {@link DeliveryMode#OFFLOADED} ({@code ASYNC} comes with
     *             {@link #subscribeAsync(AsyncEventHandler)})
     * @return this
     */
    SubscriptionBuilder<E> mode(DeliveryMode mode);

    /**
     * Lossy delivery: the subscription never holds publishers back; when it falls more than a ring behind it skips
     * to the newest events and counts the skipped slots in {@link SubscriberStats#dropped()}. Inline only. On a
     * preallocated topic it needs the topic's copier.
     *
     * @return this
     */
    SubscriptionBuilder<E> lossy();

    /**
     * @param policy what to do when the handler fails
     * @return this
     */
    SubscriptionBuilder<E> errorPolicy(ErrorPolicy policy);

    /**
     * @param index which of the topic's lossless consumer threads runs this subscription, from 0
     * @return this
     */
    SubscriptionBuilder<E> consumerThread(int index);

    /**
     * @param max offloaded or asynchronous deliveries in flight at most (at least 1)
     * @return this
     */
    SubscriptionBuilder<E> maxInFlight(int max);

    /**
     * @param handler receives the events
     * @return the live subscription; it sees every event published after this method returns
     * @throws EventBusException when the bus is closed or the options do not fit together
     */
    Subscription subscribe(EventHandler<? super E> handler);

    /**
     * @param handler receives the events and completes asynchronously
     * @return the live subscription; it sees every event published after this method returns
     * @throws EventBusException when the bus is closed or the options do not fit together
     */
    Subscription subscribeAsync(AsyncEventHandler<? super E> handler);
}
