package io.vela.engine.channel.flow;

import io.vela.engine.OfferResult;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelArity;
import io.vela.engine.channel.ChannelStats;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A channel that forwards to a real one and counts what an adapter does with it: polls, sends, and readiness hook
 * registrations and cancellations (so that a test can tell a hook-driven adapter from a polling one).
 *
 * @param <T> element type
 */
final class WatchedChannel<T> implements Channel<T> {
    final AtomicInteger polls = new AtomicInteger();
    final AtomicInteger sendAttempts = new AtomicInteger();
    final AtomicInteger receivableRegistrations = new AtomicInteger();
    final AtomicInteger receivableCancels = new AtomicInteger();
    final AtomicInteger sendableRegistrations = new AtomicInteger();
    private final Channel<T> real;

    WatchedChannel(Channel<T> real) {
        this.real = real;
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public int capacity() {
        return real.capacity();
    }

    @Override
    public ChannelArity arity() {
        return real.arity();
    }

    @Override
    public ChannelStats stats() {
        return real.stats();
    }

    @Override
    public OfferResult trySend(T item) {
        sendAttempts.incrementAndGet();
        return real.trySend(item);
    }

    @Override
    public void send(T item) {
        real.send(item);
    }

    @Override
    public boolean send(T item, Duration timeout) {
        return real.send(item, timeout);
    }

    @Override
    public T receive() {
        return real.receive();
    }

    @Override
    public Optional<T> receive(Duration timeout) {
        return real.receive(timeout);
    }

    @Override
    public Optional<T> poll() {
        polls.incrementAndGet();
        return real.poll();
    }

    @Override
    public T pollOrElse(T otherwise) {
        polls.incrementAndGet();
        return real.pollOrElse(otherwise);
    }

    @Override
    public int drain(Consumer<? super T> handler, int limit) {
        polls.incrementAndGet();
        return real.drain(handler, limit);
    }

    @Override
    public void close() {
        real.close();
    }

    @Override
    public boolean isClosed() {
        return real.isClosed();
    }

    @Override
    public boolean isDrained() {
        return real.isDrained();
    }

    @Override
    public boolean onReceivable(Runnable hook) {
        receivableRegistrations.incrementAndGet();
        return real.onReceivable(hook);
    }

    @Override
    public void cancelReceivable(Runnable hook) {
        receivableCancels.incrementAndGet();
        real.cancelReceivable(hook);
    }

    @Override
    public boolean onSendable(Runnable hook) {
        sendableRegistrations.incrementAndGet();
        return real.onSendable(hook);
    }

    @Override
    public void cancelSendable(Runnable hook) {
        real.cancelSendable(hook);
    }
}
