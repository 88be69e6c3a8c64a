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
    /** Set (before {@code refusals} moves to its heap counter) when the channel leaves its registry. */
    private volatile io.vela.engine.counters.CounterMove move;

    ChannelCounters(String channel, Pipe<?> queue, AtomicCounter refusals) {
        this.channel = channel;
        this.queue = queue;
        this.refusals = refusals;
    }

    void refused(int n) {
        AtomicCounter c = refusals;
        c.getAndAdd(n);
        if (c != refusals) { // the counter moved to the heap while this sender added to the old one
            move.settle();
        }
    }

    /**
     * The channel is drained and leaves its registry: its refusals move to a heap counter (a closed channel still
     * counts the sends it refuses) and its counter in {@code from} is freed. A sender that fetched the old counter
     * before the move and adds to it after settles its add onto the heap counter ({@link #refused}); the freed
     * slot is not reused meanwhile ({@code counters.reuse-ms}).
     */
    void release(io.vela.engine.counters.CounterFactory from) {
        io.vela.engine.counters.CounterMove m = new io.vela.engine.counters.CounterMove(refusals);
        move = m;
        refusals = m.heap(); // refusals from here on land on the heap
        m.settle(); // what senders added to the old counter meanwhile; a later one settles its own add
        from.free(m.from());
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
