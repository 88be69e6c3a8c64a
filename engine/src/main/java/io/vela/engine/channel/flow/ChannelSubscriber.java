package io.vela.engine.channel.flow;

import io.vela.engine.OfferResult;
import io.vela.engine.RingClosedException;
import io.vela.engine.channel.Channel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

/**
 * A {@link Flow.Subscriber} that sends what it receives into a channel, made by {@link ChannelFlow#subscriber}.
 *
 * <p>Demand is bounded by {@code prefetch}: it requests {@code prefetch} elements at first, and more (in batches of
 * at least half of {@code prefetch}) only as earlier elements are accepted by the channel, so that the elements
 * requested but not yet in the channel never exceed {@code prefetch}. Elements that find the channel full wait in a
 * preallocated buffer of that size; the channel's one-shot {@link Channel#onSendable} hook retries them when a take
 * or close makes room (on single-receiver channels, where a take may miss the hook, a 1 ms re-check backs it up;
 * an {@link IdleBackoff} re-check, 10 µs doubling to 1 ms, only where the hook cannot be registered). No thread
 * ever waits: {@code onNext} returns at once whatever the channel's state.
 *
 * <p>{@code onComplete} closes the channel once the buffer is empty and completes {@link #completion()}; {@code
 * onError} does the same and completes {@link #completion()} exceptionally with the error. If the channel is closed
 * by someone else first, the subscription is cancelled, buffered elements are dropped and {@link #completion()}
 * fails with a {@link RingClosedException} that counts them. An upstream that sends more than was requested (rule
 * 1.1) is caught at the first excess element: that element is dropped, the subscription cancelled, and
 * {@link #completion()} fails with an {@link IllegalStateException} once the elements before it are in the channel.
 *
 * <p>Threads: the upstream calls the {@code on*} methods serially (rule 1.3), from any thread; re-checks run on the
 * JDK's delay thread, hooks on the channel's receiving thread. Work is serialised by a work-in-progress counter:
 * one thread at a time touches the buffer's consumer side and the upstream's subscription. {@link #completion()}
 * may be read from any thread. Allocation: none per element and none for the hook; a timed re-check allocates a JDK
 * timer task.
 *
 * @param <T> element type
 */
public final class ChannelSubscriber<T> implements Flow.Subscriber<T> {
    /** The largest {@code prefetch}: the buffer of that many slots is preallocated. */
    public static final int MAX_PREFETCH = 1 << 16;

    private final Channel<T> channel;
    private final int prefetch;
    private final int replenish;
    private final OneToOneConcurrentArrayQueue<T> buffer;
    private final AtomicInteger wip = new AtomicInteger();
    private final IdleBackoff backoff = new IdleBackoff(this::drain);
    /** The channel's one-shot readiness hook (preallocated: registering and firing allocate nothing). */
    private final Runnable wake = this::woken;
    /** True while {@link #wake} is registered with the channel (so that it is registered once at a time). */
    private volatile boolean armed;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private volatile Flow.Subscription upstream;
    private volatile boolean done;
    private volatile Throwable failure;
    private boolean finished;
    private boolean requestedFirst;
    private long accepted;
    private long lastRequestedAt;
    /** All that was requested from the upstream so far; written by the loop's holder before each request. */
    private volatile long requestedTotal;
    /** Elements the upstream has sent (its thread only: signals are serial, rule 1.3). */
    private long received;

    ChannelSubscriber(Channel<T> channel, int prefetch) {
        this.channel = Objects.requireNonNull(channel, "channel");
        if (prefetch < 1 || prefetch > MAX_PREFETCH) {
            throw new IllegalArgumentException("prefetch must be between 1 and " + MAX_PREFETCH
                    + " (its buffer is preallocated), was " + prefetch);
        }
        this.prefetch = prefetch;
        this.replenish = Math.max(1, prefetch / 2);
        this.buffer = new OneToOneConcurrentArrayQueue<>(prefetch);
    }

    /**
     * @return completes when the upstream has finished and the channel is closed: normally after {@code onComplete},
     *         exceptionally with the upstream's error after {@code onError}, or with a {@link RingClosedException}
     *         if the channel was closed by someone else while elements were still on their way
     */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription (rule 2.13)");
        if (upstream != null || done) {
            subscription.cancel(); // rule 2.5: one active subscription at a time
            return;
        }
        upstream = subscription;
        drain();
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "item (rule 2.13)");
        if (done) {
            return;
        }
        if (++received > requestedTotal || !buffer.offer(item)) {
            fail(new IllegalStateException("upstream sent element " + received + " but " + requestedTotal
                    + " were requested (rule 1.1) into channel '" + channel.name() + "'; the excess is dropped"));
            Flow.Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
        }
        drain();
    }

    @Override
    public void onError(Throwable error) {
        Objects.requireNonNull(error, "error (rule 2.13)");
        fail(error);
        drain();
    }

    @Override
    public void onComplete() {
        done = true;
        drain();
    }

    private void fail(Throwable error) {
        if (failure == null) {
            failure = error;
        }
        done = true;
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            if (!finished && step()) {
                full(); // while the loop is still ours; a hook that fires at once just loops again
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /**
     * Elements wait for room: ask the channel to run {@link #wake} when a take or close makes it sendable. Where a
     * take may miss the hook (single-receiver channels, ADR 0007 section 4), or no slot was free, a slow re-check
     * backs it up.
     */
    private void full() {
        if (!armed) {
            armed = true;
            if (!channel.onSendable(wake)) {
                armed = false;
                backoff.later();
                return;
            }
        }
        if (!channel.arity().manyReceivers()) {
            backoff.safetyNet();
        }
    }

    private void woken() {
        armed = false;
        drain();
    }

    /** @return true if elements wait for room in the channel */
    private boolean step() {
        Flow.Subscription s = upstream;
        boolean wasDone = done; // read first: every element the upstream sent before it is in the buffer now
        if (s != null && !requestedFirst && !wasDone) {
            requestedFirst = true;
            requestedTotal = prefetch;
            s.request(prefetch);
        }
        long before = accepted;
        for (T item = buffer.peek(); item != null; item = buffer.peek()) {
            OfferResult r = channel.trySend(item);
            if (r == OfferResult.FULL) {
                return true;
            }
            if (r == OfferResult.CLOSED) {
                closedUnderneath(s);
                return false;
            }
            buffer.poll();
            accepted++;
        }
        if (accepted != before) {
            backoff.reset();
        }
        if (wasDone) {
            finish();
        } else if (!done && s != null && accepted - lastRequestedAt >= replenish) {
            long n = accepted - lastRequestedAt;
            lastRequestedAt = accepted;
            requestedTotal += n; // one writer, the loop's holder
            s.request(n);
        }
        // done set since wasDone was read: its signal made the loop run again, and that pass finishes
        return false;
    }

    private void closedUnderneath(Flow.Subscription s) {
        finished = true;
        done = true;
        channel.cancelSendable(wake);
        int dropped = buffer.drain(item -> { });
        if (s != null) {
            s.cancel();
        }
        completion.completeExceptionally(new RingClosedException(channel.name(), channel.capacity(),
                "channel '" + channel.name() + "' was closed while " + dropped
                        + " element(s) from the upstream were waiting for room; they were dropped"));
    }

    private void finish() {
        finished = true;
        channel.cancelSendable(wake);
        channel.close();
        Throwable error = failure;
        if (error == null) {
            completion.complete(null);
        } else {
            completion.completeExceptionally(error);
        }
    }
}
