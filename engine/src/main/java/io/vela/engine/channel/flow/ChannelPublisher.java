package io.vela.engine.channel.flow;

import io.vela.engine.channel.Channel;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * A channel read as a {@link Flow.Publisher}: see {@link ChannelFlow#publisher}. Subscribers compete for the
 * channel's elements (each element goes to one of them); each subscription is a {@link ChannelSubscription}.
 * {@link #subscribe} may be called from any thread and allocates the subscription.
 *
 * @param <T> element type
 */
final class ChannelPublisher<T> implements Flow.Publisher<T> {
    private final Channel<T> channel;
    private final Executor executor;

    ChannelPublisher(Channel<T> channel, Executor executor) {
        this.channel = channel;
        this.executor = executor;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber (rule 1.9)");
        new ChannelSubscription<>(channel, executor, subscriber).signal();
    }

    @Override
    public String toString() {
        return "ChannelPublisher[" + channel.name() + "]";
    }
}
