package io.vela.engine.channel.flow;

import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelArity;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A channel read as a {@link Flow.Publisher}: see {@link ChannelFlow#publisher}. Subscribers compete for the
 * channel's elements (each element goes to one of them); each subscription is a {@link ChannelSubscription}. A
 * channel with one receiver ({@code ONE_TO_ONE}, {@code MANY_TO_ONE}) takes one subscriber at a time: two would
 * poll it concurrently and corrupt it, so a second one gets {@code onSubscribe} then {@code onError} (rule 1.9)
 * with an {@link IllegalStateException}, until the first has cancelled or ended. {@link #subscribe} may be called
 * from any thread and allocates the subscription.
 *
 * @param <T> element type
 */
final class ChannelPublisher<T> implements Flow.Publisher<T> {
    private final Channel<T> channel;
    private final Executor executor;
    /** Held by the one subscription of a single-receiver channel; null for many-to-many. */
    private final AtomicBoolean receiving;

    ChannelPublisher(Channel<T> channel, Executor executor) {
        this.channel = channel;
        this.executor = executor;
        this.receiving = channel.arity() == ChannelArity.MANY_TO_MANY ? null : new AtomicBoolean();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber (rule 1.9)");
        if (receiving == null) {
            new ChannelSubscription<>(channel, executor, subscriber, null).signal();
        } else if (receiving.compareAndSet(false, true)) {
            new ChannelSubscription<>(channel, executor, subscriber, () -> receiving.set(false)).signal();
        } else {
            new ChannelSubscription<>(channel, executor, subscriber, null).refuse(new IllegalStateException(
                    "channel '" + channel.name() + "' is " + channel.arity().configName()
                            + ": it has one receiver, and a subscriber is receiving already"));
        }
    }

    @Override
    public String toString() {
        return "ChannelPublisher[" + channel.name() + "]";
    }
}
