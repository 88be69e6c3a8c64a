package io.vela.engine.channel;

import org.agrona.concurrent.Pipe;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * A channel's {@link ChannelStats}: sent, received and depth are read from the queue's own head and tail (nothing
 * added to the hot path); refusals are counted on the refusing path only, with {@code getAndAdd} (any sender may
 * refuse) on a counter of the runtime's counters file (or of the heap for a standalone channel). Any thread; no
 * locks; no allocation.
 */
final class ChannelCounters implements ChannelStats {
    private final String channel;
    private final Pipe<?> queue;
    private volatile AtomicCounter refusals;

    ChannelCounters(String channel, Pipe<?> queue, AtomicCounter refusals) {
        this.channel = channel;
        this.queue = queue;
        this.refusals = refusals;
    }

    void refused(int n) {
        refusals.getAndAdd(n);
    }

    /**
     * The channel is drained and leaves its registry: its refusals move to a heap counter (a closed channel still
     * counts the sends it refuses) and its counter in {@code from} is freed.
     */
    void release(io.vela.engine.counters.CounterFactory from) {
        AtomicCounter old = refusals;
        AtomicCounter heap = io.vela.engine.counters.CounterFactory.heapCounter();
        refusals = heap; // refusals from here on land on the heap
        heap.getAndAdd(old.get());
        from.free(old);
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
