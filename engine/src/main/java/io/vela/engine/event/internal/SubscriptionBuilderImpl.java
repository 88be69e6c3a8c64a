package io.vela.engine.event.internal;

import io.vela.engine.event.AsyncEventHandler;
import io.vela.engine.event.DeliveryMode;
import io.vela.engine.event.ErrorPolicy;
import io.vela.engine.event.EventBusException;
import io.vela.engine.event.EventHandler;
import io.vela.engine.event.Subscription;
import io.vela.engine.event.SubscriptionBuilder;
import java.util.Objects;
import java.util.function.Predicate;

/** Collects a {@link Subscriber.Spec}, checks that its options fit together, and subscribes. */
final class SubscriptionBuilderImpl<E> implements SubscriptionBuilder<E> {
    private final TopicRing topic;
    private final Subscriber.Spec spec = new Subscriber.Spec();

    SubscriptionBuilderImpl(TopicRing topic, Class<E> type, int defaultMaxInFlight) {
        this.topic = topic;
        spec.type = type;
        spec.maxInFlight = defaultMaxInFlight;
    }

    @Override
    public SubscriptionBuilder<E> name(String name) {
        spec.name = Objects.requireNonNull(name, "name");
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public SubscriptionBuilder<E> filter(Predicate<? super E> filter) {
        spec.filter = (Predicate<Object>) Objects.requireNonNull(filter, "filter");
        return this;
    }

    @Override
    public SubscriptionBuilder<E> mode(DeliveryMode mode) {
        if (Objects.requireNonNull(mode, "mode") == DeliveryMode.ASYNC) {
            throw new EventBusException("mode ASYNC comes with subscribeAsync(handler); use INLINE or OFFLOADED");
        }
        spec.mode = mode;
        return this;
    }

    @Override
    public SubscriptionBuilder<E> lossy() {
        spec.lossy = true;
        return this;
    }

    @Override
    public SubscriptionBuilder<E> errorPolicy(ErrorPolicy policy) {
        spec.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    @Override
    public SubscriptionBuilder<E> consumerThread(int index) {
        if (index < 0) {
            throw new EventBusException("consumerThread = " + index + " is invalid; valid: >= 0");
        }
        spec.consumerIndex = index;
        return this;
    }

    @Override
    public SubscriptionBuilder<E> maxInFlight(int max) {
        if (max < 1) {
            throw new EventBusException("maxInFlight = " + max + " is invalid; valid: >= 1");
        }
        spec.maxInFlight = max;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Subscription subscribe(EventHandler<? super E> handler) {
        spec.handler = (EventHandler<Object>) Objects.requireNonNull(handler, "handler");
        return make();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Subscription subscribeAsync(AsyncEventHandler<? super E> handler) {
        spec.asyncHandler = (AsyncEventHandler<Object>) Objects.requireNonNull(handler, "handler");
        spec.mode = DeliveryMode.ASYNC;
        return make();
    }

    private Subscription make() {
        if (spec.lossy && spec.mode != DeliveryMode.INLINE) {
            throw new EventBusException("a lossy subscription must be INLINE (it reads slots that publishers may "
                    + "overwrite); got " + spec.mode);
        }
        if (spec.lossy && spec.consumerIndex >= 0) {
            throw new EventBusException("a lossy subscription runs on the topic's lossy consumer thread; "
                    + "consumerThread does not apply");
        }
        if (spec.lossy && topic.singlePublisher) {
            throw new EventBusException("lossy delivery is not available on single-publisher topic '" + topic.name
                    + "': its cursor does not show claimed slots, which the overwrite check needs");
        }
        if (spec.lossy && !topic.byType && topic.copier == null) {
            throw new EventBusException("lossy delivery on preallocated topic '" + topic.name + "' needs a copier: "
                    + "declare it with topic(name, factory, copier)");
        }
        return topic.subscribe(spec);
    }
}
