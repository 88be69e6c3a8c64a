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
 * Publish methods may be called from any thread; each allocates nothing (the batch forms claim and publish many slots
 * at once: one claim, one publish, all or nothing) (unless the ring is full under a policy
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

    /**
     * Publishes a batch: claims {@code count} consecutive slots at once, fills slot {@code k} with
     * {@code translator.translateTo(slot, batch[from + k])}, and publishes the range at once — one claim and one
     * publish for the batch, as the Disruptor's {@code RingBuffer.publishEvents}. Subscribers see the events in
     * array order, after the events this thread published before, with nothing in between. Allocates nothing.
     *
     * <p>All or nothing: the overflow policy applies to the whole batch (under {@code block} it waits until
     * {@code count} slots are free), a refusal refuses every event of it, and a translator that throws cancels the
     * whole batch (none is delivered) and propagates. A batch is at most the ring's size ({@code events.ring-size});
     * a larger one is refused with {@link EventBusException} — split it. A batch racing {@code close()} is either
     * delivered whole or refused whole with {@link io.vela.engine.RingClosedException}.
     *
     * @param translator fills each slot
     * @param batch      the arguments
     * @param from       index of the first argument in {@code batch}
     * @param count      how many events; 0 publishes nothing
     * @param <A>        argument type
     * @throws io.vela.engine.RingFullException   as {@link #publish(EventTranslatorOneArg, Object)}, for the batch
     * @throws io.vela.engine.RingClosedException when the bus is closed or closing
     * @throws EventBusException                  when {@code [from, from + count)} is not within {@code batch}, or
     *                                            {@code count} is larger than the ring
     */
    <A> void publish(EventTranslatorOneArg<? super E, A> translator, A[] batch, int from, int count);

    /**
     * Publishes every element of {@code batch} as one batch: {@link #publish(EventTranslatorOneArg, Object[], int,
     * int) publish(translator, batch, 0, batch.length)}. Named apart from {@link #publish(EventTranslatorOneArg, Object)}: as an
     * overload of it, a single event whose argument is an array (a translator taking {@code Object}, or an implicitly
     * typed lambda) would not compile (ambiguous).
     *
     * @param translator fills each slot
     * @param batch      the arguments, at most the ring's size
     * @param <A>        argument type
     */
    default <A> void publishAll(EventTranslatorOneArg<? super E, A> translator, A[] batch) {
        publish(translator, batch, 0, java.util.Objects.requireNonNull(batch, "batch").length);
    }

    /**
     * Publishes a batch of two-argument events: slot {@code k} gets {@code translator.translateTo(slot,
     * as[from + k], bs[from + k])}; otherwise as {@link #publish(EventTranslatorOneArg, Object[], int, int)}.
     *
     * @param translator fills each slot
     * @param as         first arguments
     * @param bs         second arguments
     * @param from       index of the first event's arguments
     * @param count      how many events; 0 publishes nothing
     * @param <A>        first argument type
     * @param <B>        second argument type
     * @throws io.vela.engine.RingFullException   as {@link #publish(EventTranslatorOneArg, Object)}, for the batch
     * @throws io.vela.engine.RingClosedException when the bus is closed or closing
     * @throws EventBusException                  when {@code [from, from + count)} is not within both arrays, or
     *                                            {@code count} is larger than the ring
     */
    <A, B> void publish(EventTranslatorTwoArg<? super E, A, B> translator, A[] as, B[] bs, int from, int count);

    /**
     * Publishes a batch if {@code count} slots are free now — all of it or none; never waits, throws no refusal,
     * allocates nothing.
     *
     * @param translator fills each slot (not called when refused)
     * @param batch      the arguments
     * @param from       index of the first argument in {@code batch}
     * @param count      how many events; 0 publishes nothing and answers {@code ACCEPTED}
     * @param <A>        argument type
     * @return {@link OfferResult#ACCEPTED} (every event), or {@code FULL} / {@code CLOSED} (none)
     * @throws EventBusException when {@code [from, from + count)} is not within {@code batch}, or {@code count} is
     *                           larger than the ring (it could never be accepted)
     */
    <A> OfferResult tryPublish(EventTranslatorOneArg<? super E, A> translator, A[] batch, int from, int count);

    /** @return live counters of this topic */
    TopicStats stats();
}
