package io.vela.engine.channel;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads parked on one side of a channel (waiting for an element, or for room), in a fixed array of slots so
 * that registering allocates nothing. A thread that finds no free slot is not registered and parks for short
 * periods instead ({@link #OVERFLOW_PARK_NANOS}). Any thread may call any method.
 */
final class WaiterSlots {
    static final int SLOTS = 32;
    static final int NONE = -1;
    static final long OVERFLOW_PARK_NANOS = 100_000;

    private final AtomicReferenceArray<Thread> slots = new AtomicReferenceArray<>(SLOTS);

    /**
     * @param thread the waiter
     * @return its slot, or {@link #NONE} when all are taken
     */
    int register(Thread thread) {
        for (int i = 0; i < SLOTS; i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, thread)) {
                return i;
            }
        }
        return NONE;
    }

    /** @param slot a slot from {@link #register}, or {@link #NONE} */
    void deregister(int slot) {
        if (slot != NONE) {
            slots.set(slot, null);
        }
    }

    /** Unparks every registered thread (each then looks again). */
    void wakeAll() {
        for (int i = 0; i < SLOTS; i++) {
            Thread t = slots.get(i);
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }
}
