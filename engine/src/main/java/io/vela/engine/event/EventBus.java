package io.vela.engine.event;

import io.vela.engine.OfferResult;
import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaConfig;
import io.vela.engine.event.internal.EventBusImpl;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Publish-subscribe on multicast rings: one ring per topic, every subscriber reads the same slot.
 *
 * <pre>{@code
 * EventBus bus = runtime.events();
 * bus.subscribe(OrderEvent.class, e -> audit(e));            // receives OrderPlaced, OrderCancelled, ...
 * bus.publish(new OrderPlaced(42));                          // object events, on the default topic
 *
 * Topic<Tick> ticks = bus.topic("ticks", Tick::new);         // preallocated slots: zero allocation
 * bus.subscribe(ticks, t -> book.update(t));
 * bus.publish(ticks, Tick::set, instrument, price);
 * }</pre>
 *
 * <p>Delivery: every subscription receives every matching event published after {@code subscribe} returned and
 * before it was closed, exactly once, in publish order for any one publisher. Lossless subscriptions hold the
 * ring: a full ring makes publishers follow {@code events.overflow} ({@code caller-runs} is not valid for the bus).
 * Lossy subscriptions skip and count. A throwing handler never affects other subscriptions, and a handler that
 * restores its interrupt flag never stops a consumer thread nor hands the flag to the next handler.
 *
 * <p>Refusals: a publish the bus refuses throws {@link io.vela.engine.RingRejectedException}, the type every Vela
 * ring, timer and pool refuses with: {@link io.vela.engine.RingFullException} (full) or
 * {@link io.vela.engine.RingClosedException} (closed or closing). {@link #tryPublish(Object)} and
 * {@link Topic#tryPublish(EventTranslatorOneArg, Object) Topic.tryPublish} return the same answer as an
 * {@link OfferResult} instead, without waiting. {@link EventBusException} means a usage error (a topic or
 * subscription declared wrongly, a subscription to a closed bus).
 *
 * <p>Threads: each topic (the default one from its first use) has {@code events.consumer-threads} lossless
 * consumer threads (default 1) that run the inline handlers of the subscriptions assigned to them, plus one lossy
 * consumer thread once a lossy subscription exists. Every method may be called from any thread.
 * {@link #publish(Object)} allocates nothing beyond the event itself; the translator publishes allocate nothing.
 */
public interface EventBus extends AutoCloseable {

    /**
     * Makes a bus outside a {@code VelaRuntime} (the runtime's {@code events()} is the usual way).
     *
     * @param config        the {@code events.*}, {@code thread-name-prefix} and {@code shutdown.deadline-ms} keys
     * @param executor      runs offloaded handlers
     * @param threadFactory makes the bus consumer threads (the bus names them)
     * @return a running bus
     * @throws io.vela.engine.MissingJvmFlagException without the Agrona flag (README, "JVM flags"): the bus's
     *                                                counters are Agrona counters
     */
    static EventBus create(VelaConfig config, Executor executor, ThreadFactory threadFactory) {
        io.vela.engine.internal.JvmFlags.requireAgronaAccess();
        return new EventBusImpl(Objects.requireNonNull(config, "config"), Objects.requireNonNull(executor,
                "executor"), Objects.requireNonNull(threadFactory, "threadFactory"),
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * Publishes an object event on the default topic; subscriptions to its class, superclasses and interfaces
     * receive it.
     *
     * @param event the event, not null
     * @throws io.vela.engine.RingFullException   when the ring is full under {@code fail-fast}, stays full
     *                                            under {@code block-timeout}, or the waiting publisher is interrupted
     *                                            (its flag is kept set); at once, whatever the policy, on a thread
     *                                            that delivers the default topic's events (it would wait for itself)
     * @throws io.vela.engine.RingClosedException when the bus is closed or closing
     */
    void publish(Object event);

    /**
     * Publishes an object event on the default topic if it has a free slot now; never waits, throws no refusal,
     * allocates nothing beyond the event.
     *
     * @param event the event, not null
     * @return {@link OfferResult#ACCEPTED}, or {@code FULL} / {@code CLOSED}
     */
    OfferResult tryPublish(Object event);

    /**
     * Publishes on a preallocated topic; allocates nothing.
     *
     * @param topic      the topic
     * @param translator fills the slot
     * @param a          its argument
     * @param <E>        slot type
     * @param <A>        argument type
     */
    default <E, A> void publish(Topic<E> topic, EventTranslatorOneArg<? super E, A> translator, A a) {
        topic.publish(translator, a);
    }

    /**
     * Publishes on a preallocated topic; allocates nothing.
     *
     * @param topic      the topic
     * @param translator fills the slot
     * @param a          first argument
     * @param b          second argument
     * @param <E>        slot type
     * @param <A>        first argument type
     * @param <B>        second argument type
     */
    default <E, A, B> void publish(Topic<E> topic, EventTranslatorTwoArg<? super E, A, B> translator, A a, B b) {
        topic.publish(translator, a, b);
    }

    /**
     * Publishes a batch on a preallocated topic: one claim and one publish for all of it; allocates nothing. See
     * {@link Topic#publish(EventTranslatorOneArg, Object[], int, int)}.
     * Named apart from {@link #publish(Topic, EventTranslatorOneArg, Object)}: an overload would make a single event
     * whose argument is an array ambiguous (ADR 0004, issue #12 review).
     *
     * @param topic      the topic
     * @param translator fills each slot
     * @param batch      the arguments, one event each, at most the ring's size
     * @param <E>        slot type
     * @param <A>        argument type
     */
    default <E, A> void publishAll(Topic<E> topic, EventTranslatorOneArg<? super E, A> translator, A[] batch) {
        topic.publishAll(translator, batch);
    }

    /**
     * Declares a preallocated topic, or returns the one already declared under {@code name}.
     *
     * @param name    the topic's name (also in its threads' names)
     * @param factory makes each slot once, when the ring is built
     * @param <E>     slot type
     * @return the topic
     */
    default <E> Topic<E> topic(String name, Supplier<? extends E> factory) {
        return topic(name, TopicOptions.of(factory));
    }

    /**
     * Declares a preallocated topic that also supports lossy subscriptions: a lossy consumer copies each slot into
     * a private instance (with {@code copier}) before checking it was not overwritten meanwhile.
     *
     * @param name    the topic's name
     * @param factory makes each slot once
     * @param copier  copies the first argument's content into the second
     * @param <E>     slot type
     * @return the topic
     */
    default <E> Topic<E> topic(String name, Supplier<? extends E> factory,
            BiConsumer<? super E, ? super E> copier) {
        return topic(name, TopicOptions.<E>of(factory).copier(copier));
    }

    /**
     * Declares a preallocated topic with options (copier, single publisher), or returns the one already declared
     * under {@code name}.
     *
     * @param name    the topic's name
     * @param options the slot factory and options
     * @param <E>     slot type
     * @return the topic
     */
    <E> Topic<E> topic(String name, TopicOptions<E> options);

    /**
     * Subscribes inline to object events of {@code type} and its subtypes.
     *
     * @param type    the event type
     * @param handler receives the events
     * @param <E>     the event type
     * @return the subscription
     */
    default <E> Subscription subscribe(Class<E> type, EventHandler<? super E> handler) {
        return subscriber(type).subscribe(handler);
    }

    /**
     * Subscribes inline to a preallocated topic.
     *
     * @param topic   the topic
     * @param handler receives the events (the slots: never keep them)
     * @param <E>     the slot type
     * @return the subscription
     */
    default <E> Subscription subscribe(Topic<E> topic, EventHandler<? super E> handler) {
        return subscriber(topic).subscribe(handler);
    }

    /**
     * @param type the event type (its subtypes match too)
     * @param <E>  the event type
     * @return a builder for a subscription to object events of {@code type}
     */
    <E> SubscriptionBuilder<E> subscriber(Class<E> type);

    /**
     * @param topic a preallocated topic of this bus
     * @param <E>   the slot type
     * @return a builder for a subscription to {@code topic}
     */
    <E> SubscriptionBuilder<E> subscriber(Topic<E> topic);

    /** @param handler sees events no subscription matched (they are counted either way) */
    void onDeadEvent(DeadEventHandler handler);

    /** @return live counters of every topic, the default topic first once it is in use */
    List<TopicStats> stats();

    /**
     * Stops accepting publishes, delivers everything accepted to every lossless subscription, stops the bus
     * threads. Returns by {@code deadline} in every case: when the deliveries do not finish in time (a stuck
     * handler, a full window) or the calling thread is interrupted, it halts the bus — no handler starts again, the
     * consumer threads are interrupted (a running handler is prompted to return) — and reports what was not
     * delivered. A later call returns the first call's report, waiting for it at most until its own deadline; past
     * that it halts the bus itself and returns its own report.
     *
     * <p>Called from a handler (a thread that delivers this bus's events: a consumer thread, or one running an
     * offloaded or asynchronous delivery), it cannot wait for the deliveries — one of them is the caller itself. It
     * then begins the close, leaves the waiting (with the same deadline) to a thread of the bus, and returns at once
     * an interim report: not completed, {@code notRun} = deliveries still pending at that moment, which go on after
     * the handler returns. A later call from another thread returns the final report.
     *
     * @param deadline how long to wait for deliveries
     * @return {@code notRun} = (event, lossless subscription) deliveries that did not happen (an upper bound: filters
     *         are not evaluated, and a handler still running when the bus halted counts as not delivered)
     */
    ShutdownReport shutdown(Duration deadline);

    /** Shuts down within {@code shutdown.deadline-ms}; an incomplete shutdown is logged. */
    @Override
    void close();
}
