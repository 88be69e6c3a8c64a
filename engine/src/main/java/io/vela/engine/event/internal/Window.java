package io.vela.engine.event.internal;

import com.lmax.disruptor.Sequence;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The in-flight deliveries of one offloaded or async subscription: a bounded array of (sequence, event) entries,
 * pushed in publish order by the consumer thread and completed by the executor (in order) or by async completions
 * (in any order). The subscription's own gating {@link Sequence} trails the oldest incomplete entry, so a
 * preallocated slot is not reused while a handler may still read it.
 *
 * <p>{@link #tryPush} is called by the consumer thread only and allocates nothing; {@link #complete} by any thread
 * (takes this window's lock, briefly); {@link #advanceTo} by the consumer thread once per batch.
 */
final class Window {
    private final int capacity;
    private final long[] seqs;
    private final Object[] events;
    private final AtomicIntegerArray done;
    private final Sequence gating;
    private volatile long tail;
    private volatile long head;
    private volatile long consumerPos;

    Window(int capacity, Sequence gating) {
        this.capacity = capacity;
        this.seqs = new long[capacity];
        this.events = new Object[capacity];
        this.done = new AtomicIntegerArray(capacity);
        this.gating = gating;
        this.consumerPos = gating.get();
    }

    /**
     * Adds an entry if the window has room; never waits (the subscriber decides how to wait).
     *
     * @return the entry's index, or -1 if the window is full
     */
    long tryPush(Object event, long seq) {
        long t = tail;
        if (t - head >= capacity) {
            return -1;
        }
        int i = (int) (t % capacity);
        seqs[i] = seq;
        events[i] = event;
        done.lazySet(i, 0);
        tail = t + 1;
        return t;
    }

    Object event(long index) {
        return events[(int) (index % capacity)];
    }

    long seq(long index) {
        return seqs[(int) (index % capacity)];
    }

    long tail() {
        return tail;
    }

    /** Marks an entry complete and moves the head (and the gating sequence) past completed entries. */
    void complete(long index) {
        done.set((int) (index % capacity), 1);
        synchronized (this) {
            long h = head;
            long t = tail;
            while (h < t && done.get((int) (h % capacity)) == 1) {
                events[(int) (h % capacity)] = null;
                h++;
            }
            head = h;
            updateGating();
        }
    }

    /** The consumer thread has offered every slot up to {@code pos}. */
    void advanceTo(long pos) {
        consumerPos = pos;
        synchronized (this) {
            updateGating();
        }
    }

    // Reads consumerPos before tail: a newer consumerPos implies every push up to it is visible in tail.
    private void updateGating() {
        long pos = consumerPos;
        long t = tail;
        long h = head;
        long v = h == t ? pos : seqs[(int) (h % capacity)] - 1;
        if (v > gating.get()) {
            gating.set(v);
        }
    }

    long pending() {
        return tail - head;
    }

    /** @return the index of the oldest incomplete entry (moves on each completion that frees the head) */
    long head() {
        return head;
    }

    Sequence gating() {
        return gating;
    }
}
