package io.vela.engine.event;

import io.vela.engine.OfferResult;

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
 * that throws). Under the {@code block} policy a full ring makes {@code publish} wait for the slowest lossless
 * subscriber — except on a thread that delivers this topic's events (its consumer threads, an executor thread running
 * one of its offloaded handlers), which is refused at once: it would wait for itself. {@code tryPublish} never
 * waits, throws no refusal and allocates nothing: it returns {@link OfferResult#FULL} or {@link OfferResult#CLOSED}.
 *
 * <p>Refusals: every {@code publish} refusal is a {@link io.vela.engine.RingRejectedException} —
 * {@link io.vela.engine.RingFullException} (full) or {@link io.vela.engine.RingClosedException} (the bus is closed or
 * closing). {@link EventBusException} is kept for usage errors (a second thread publishing on a single-publisher
 * topic). A translator that throws propagates its exception; the slot is then never delivered.
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
     * @throws io.vela.engine.RingFullException   when the ring is full under {@code fail-fast}, stays full
     *                                            under {@code block-timeout}, or the waiting publisher is interrupted
     *                                            (its flag is kept set)
     * @throws io.vela.engine.RingClosedException when the bus is closed or closing
     */
    <A> void publish(EventTranslatorOneArg<? super E, A> translator, A a);

    /**
     * @param translator fills the slot
     * @param a          first argument
     * @param b          second argument
     * @param <A>        first argument type
     * @param <B>        second argument type
     * @throws io.vela.engine.RingFullException   when the ring is full under {@code fail-fast}, stays full
     *                                            under {@code block-timeout}, or the waiting publisher is interrupted
     *                                            (its flag is kept set)
     * @throws io.vela.engine.RingClosedException when the bus is closed or closing
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
     * @throws io.vela.engine.RingFullException   when the ring is full under {@code fail-fast}, stays full
     *                                            under {@code block-timeout}, or the waiting publisher is interrupted
     *                                            (its flag is kept set)
     * @throws io.vela.engine.RingClosedException when the bus is closed or closing
     */
    <A, B, C> void publish(EventTranslatorThreeArg<? super E, A, B, C> translator, A a, B b, C c);

    /**
     * Publishes if a slot is free now; never waits, allocates nothing.
     *
     * @param translator fills the slot (not called when refused)
     * @param a          its argument
     * @param <A>        argument type
     * @return {@link OfferResult#ACCEPTED}, or {@code FULL} / {@code CLOSED}
     */
    <A> OfferResult tryPublish(EventTranslatorOneArg<? super E, A> translator, A a);

    /**
     * Publishes if a slot is free now; never waits, allocates nothing.
     *
     * @param translator fills the slot (not called when refused)
     * @param a          first argument
     * @param b          second argument
     * @param <A>        first argument type
     * @param <B>        second argument type
     * @return {@link OfferResult#ACCEPTED}, or {@code FULL} / {@code CLOSED}
     */
    <A, B> OfferResult tryPublish(EventTranslatorTwoArg<? super E, A, B> translator, A a, B b);

    /**
     * Publishes if a slot is free now; never waits, allocates nothing.
     *
     * @param translator fills the slot (not called when refused)
     * @param a          first argument
     * @param b          second argument
     * @param c          third argument
     * @param <A>        first argument type
     * @param <B>        second argument type
     * @param <C>        third argument type
     * @return {@link OfferResult#ACCEPTED}, or {@code FULL} / {@code CLOSED}
     */
    <A, B, C> OfferResult tryPublish(EventTranslatorThreeArg<? super E, A, B, C> translator, A a, B b, C c);

    /** @return live counters of this topic */
    TopicStats stats();
}
