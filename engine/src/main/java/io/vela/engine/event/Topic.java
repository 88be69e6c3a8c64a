package io.vela.engine.event;

/**
 * A topic of preallocated events: its ring's slots are made once by the topic's factory and overwritten by
 * translators, so that publishing allocates nothing. Declared with {@link EventBus#topic(String, java.util.function.Supplier)}.
 *
 * <pre>{@code
 * Topic<Tick> ticks = bus.topic("ticks", Tick::new);
 * bus.subscribe(ticks, t -> book.update(t.instrument, t.price));
 * ticks.publish((slot, id, px) -> { slot.instrument = id; slot.price = px; }, instrumentId, price);
 * }</pre>
 *
 * Publish methods may be called from any thread; each allocates nothing (unless the ring is full under a policy
 * that throws). Under the {@code block} policy a full ring makes them wait for the slowest lossless subscriber.
 *
 * @param <E> the slot type
 */
public interface Topic<E> {
    /** @return the topic's name */
    String name();

    /**
     * @param translator fills the slot
     * @param a          its argument
     * @param <A>        argument type
     * @throws io.vela.engine.RingFullException when the ring stays full under {@code fail-fast} or
     *                                          {@code block-timeout}
     * @throws EventBusException                when the bus is closed
     */
    <A> void publish(EventTranslatorOneArg<? super E, A> translator, A a);

    /**
     * @param translator fills the slot
     * @param a          first argument
     * @param b          second argument
     * @param <A>        first argument type
     * @param <B>        second argument type
     * @throws io.vela.engine.RingFullException when the ring stays full under {@code fail-fast} or
     *                                          {@code block-timeout}
     * @throws EventBusException                when the bus is closed
     */
    <A, B> void publish(EventTranslatorTwoArg<? super E, A, B> translator, A a, B b);

    /**
     * @param translator fills the slot
     * @param a          first argument
     * @param b          second argument
     * @param c          third argument
     * @param <A>        first argument type
     * @param <B>        second argument type
     * @param <C>        third argument type
     * @throws io.vela.engine.RingFullException when the ring stays full under {@code fail-fast} or
     *                                          {@code block-timeout}
     * @throws EventBusException                when the bus is closed
     */
    <A, B, C> void publish(EventTranslatorThreeArg<? super E, A, B, C> translator, A a, B b, C c);

    /** @return live counters of this topic */
    TopicStats stats();
}
