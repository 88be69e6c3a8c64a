package io.vela.engine.counters;

import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * An owner's counter moving off a slot it is about to free onto a heap counter, without losing what a late writer
 * adds to the old slot (a writer that fetched the counter before the move and adds after it): the owner publishes
 * {@link #heap()} for its writers and readers, then calls {@link #settle()} and frees the slot; a writer that finds,
 * after its add, that its owner's counter is no longer the one it added to calls {@link #settle()} too. Each unit
 * added to the old slot reaches the heap counter once (the part moved so far is claimed with a CAS), and the old
 * slot is never written by a move, so that a reader still holding it reads its last value. The slot must not be
 * reused while late writers may add to it: {@link VelaCounters} keeps freed slots out of use for a while.
 *
 * <p>Threads: any thread may call {@link #settle()}, concurrently. Allocates the heap counter and this object, once
 * per owner's end; {@link #settle()} allocates nothing.
 */
public final class CounterMove {
    private final AtomicCounter from;
    private final AtomicCounter heap;
    /** How much of {@code from}'s value has been added to {@code heap}. */
    private final AtomicLong moved;

    /**
     * @param from the counter being given up; its value so far is in {@link #heap()} at once
     */
    public CounterMove(AtomicCounter from) {
        this.from = from;
        long now = from.get();
        this.heap = CounterFactory.heapCounter();
        heap.setRelease(now);
        this.moved = new AtomicLong(now);
    }

    /** @return the heap counter that takes over (holding the old counter's value when this move was made) */
    public AtomicCounter heap() {
        return heap;
    }

    /** @return the counter given up */
    public AtomicCounter from() {
        return from;
    }

    /** Adds to the heap counter what was added to the old counter and not moved yet. */
    public void settle() {
        while (true) {
            long done = moved.get();
            long now = from.get();
            if (now <= done) {
                return; // moved by this call's predecessors, whose add to the heap follows their claim
            }
            if (moved.compareAndSet(done, now)) {
                heap.getAndAdd(now - done);
                return;
            }
        }
    }
}
