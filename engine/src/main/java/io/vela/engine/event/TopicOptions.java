package io.vela.engine.event;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * How a preallocated topic is built: its slot factory and, optionally, a copier (for lossy subscriptions) or a
 * single publisher.
 *
 * <pre>{@code
 * Topic<Tick> ticks = bus.topic("ticks", TopicOptions.of(Tick::new).singlePublisher());
 * }</pre>
 *
 * Immutable; each method returns a new instance.
 *
 * @param <E> the slot type
 */
public final class TopicOptions<E> {
    private final Supplier<? extends E> factory;
    private final BiConsumer<? super E, ? super E> copier;
    private final boolean singlePublisher;

    private TopicOptions(Supplier<? extends E> factory, BiConsumer<? super E, ? super E> copier,
            boolean singlePublisher) {
        this.factory = factory;
        this.copier = copier;
        this.singlePublisher = singlePublisher;
    }

    /**
     * @param factory makes each slot once, when the ring is built
     * @param <E>     the slot type
     * @return options for a multi-publisher topic without copier
     */
    public static <E> TopicOptions<E> of(Supplier<? extends E> factory) {
        return new TopicOptions<>(Objects.requireNonNull(factory, "factory"), null, false);
    }

    /**
     * @param copier copies the first argument's content into the second; lets lossy subscriptions read slots safely
     * @return options with the copier
     */
    public TopicOptions<E> copier(BiConsumer<? super E, ? super E> copier) {
        return new TopicOptions<>(factory, Objects.requireNonNull(copier, "copier"), singlePublisher);
    }

    /**
     * One thread publishes on this topic (the first that does; any other gets {@link EventBusException}): the ring
     * uses the Disruptor's single-producer sequencer, with no CAS per publish. Lossy subscriptions are not available
     * on such a topic (its cursor does not show claimed slots, which their overwrite check needs). Its translators
     * may not publish on it themselves (refused with {@link EventBusException}): the single-producer sequencer
     * cannot claim a slot while the same thread's earlier claim is unpublished.
     *
     * @return options for a single-publisher topic
     */
    public TopicOptions<E> singlePublisher() {
        return new TopicOptions<>(factory, copier, true);
    }

    /** @return the slot factory */
    public Supplier<? extends E> factory() {
        return factory;
    }

    /** @return true for a single-publisher topic */
    public boolean isSinglePublisher() {
        return singlePublisher;
    }

    /** @return the copier, if one was given */
    public Optional<BiConsumer<? super E, ? super E>> copier() {
        return Optional.ofNullable(copier);
    }
}
