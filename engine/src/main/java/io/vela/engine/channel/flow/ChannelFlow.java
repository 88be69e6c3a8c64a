package io.vela.engine.channel.flow;

import io.vela.engine.channel.Channel;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * Adapters between channels and {@link java.util.concurrent.Flow} (Reactive Streams): both directions pass the
 * Reactive Streams TCK 1.0.4 (see {@code docs/channels.md}).
 *
 * <pre>{@code
 * Flow.Publisher<Order> orders = ChannelFlow.publisher(channel, runtime.executor());
 * ChannelSubscriber<Order> sink = ChannelFlow.subscriber(channel, 64);
 * somePublisher.subscribe(sink);
 * sink.completion().join();
 * }</pre>
 *
 * <p>Threads: both factories may be called from any thread; they allocate the adapter, nothing per element.
 */
public final class ChannelFlow {
    private ChannelFlow() {
    }

    /**
     * A publisher of the channel's elements. Subscribers compete: each element goes to one of them, as with any
     * other receiver of the channel. A {@code ONE_TO_ONE} or {@code MANY_TO_ONE} channel takes one subscriber at a
     * time; another gets {@code onSubscribe} then {@code onError(IllegalStateException)} until the first has
     * cancelled or ended (the publisher must then be the channel's only receiver). Demand is honoured ({@code request(n)} up to {@link Long#MAX_VALUE}, which is
     * unbounded; {@code n <= 0} ends the subscription with {@link IllegalArgumentException}, rule 3.9); {@code
     * cancel} stops delivery and drops the subscriber; {@code onComplete} follows when the channel is closed and
     * drained. The publisher itself never signals {@code onError} otherwise, except when the executor refuses the
     * delivery task or throws (then with what it threw, typically a
     * {@link java.util.concurrent.RejectedExecutionException}; {@code request} itself always returns normally).
     *
     * <p>Delivery runs on {@code executor} (typically {@code runtime.executor()}), one task per subscription at a
     * time, at most 256 elements per task before it yields the thread. An executor that runs tasks inline
     * ({@code Runnable::run}) works too: delivery then runs on the thread that signalled (the requester, the sender
     * that fired the hook, or the JDK delay thread of the fallback), batch after batch in one frame, with no stack
     * growth. No thread waits while the channel is empty,
     * and nothing polls it: the subscription registers the channel's one-shot {@link Channel#onReceivable} hook, and
     * the send (or close) that makes the channel receivable hands the subscription back to {@code executor} at once.
     * Only where the hook cannot be registered (32 hooks on the channel already, or a spinning {@code senderCloses}
     * channel) does it re-poll after a growing delay (10 µs doubling to 1 ms). A subscriber that
     * throws from a signal is treated as cancelled (rule 2.13), and the element it was given is lost.
     *
     * @param channel  the channel to read
     * @param executor where signals to subscribers run
     * @param <T>      element type
     * @return a publisher; subscribing allocates one small subscription, delivery allocates nothing per element
     */
    public static <T> Flow.Publisher<T> publisher(Channel<T> channel, Executor executor) {
        return new ChannelPublisher<>(Objects.requireNonNull(channel, "channel"),
                Objects.requireNonNull(executor, "executor"));
    }

    /**
     * A subscriber that sends what it receives into the channel, with demand bounded by {@code prefetch}, closing
     * the channel when the upstream completes or fails (see {@link ChannelSubscriber}). Subscribe it to one
     * publisher; it never blocks the upstream's thread.
     *
     * @param channel  the channel to feed (it is closed when the upstream ends)
     * @param prefetch the most elements requested but not yet in the channel, 1 to
     *                 {@link ChannelSubscriber#MAX_PREFETCH} (a buffer of that many slots is preallocated)
     * @param <T>      element type
     * @return the subscriber, whose {@link ChannelSubscriber#completion()} reports the end
     * @throws IllegalArgumentException if {@code prefetch} is outside 1 to {@link ChannelSubscriber#MAX_PREFETCH}
     */
    public static <T> ChannelSubscriber<T> subscriber(Channel<T> channel, int prefetch) {
        return new ChannelSubscriber<>(channel, prefetch);
    }
}
