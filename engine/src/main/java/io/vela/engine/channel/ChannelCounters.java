package io.vela.engine.channel;

import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.Pipe;

/**
 * A channel's {@link ChannelStats}: sent, received and depth are read from the queue's own head and tail (nothing
 * added to the hot path); refusals are counted on the refusing path only. Any thread; no locks; no allocation.
 */
final class ChannelCounters implements ChannelStats {
    private final String channel;
    private final Pipe<?> queue;
    private final AtomicLong refusals = new AtomicLong();

    ChannelCounters(String channel, Pipe<?> queue) {
        this.channel = channel;
        this.queue = queue;
    }

    void refused(int n) {
        refusals.addAndGet(n);
    }

    @Override
    public String name() {
        return channel;
    }

    @Override
    public int capacity() {
        return queue.capacity();
    }

    @Override
    public long sent() {
        return queue.addedCount();
    }

    @Override
    public long received() {
        return queue.removedCount();
    }

    @Override
    public long refused() {
        return refusals.get();
    }

    @Override
    public long depth() {
        return queue.size();
    }

    @Override
    public String toString() {
        return channel + " sent=" + sent() + " received=" + received() + " refused=" + refused() + " depth="
                + depth();
    }
}
