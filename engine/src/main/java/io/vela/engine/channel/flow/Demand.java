package io.vela.engine.channel.flow;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Outstanding demand of one subscription, capped at {@link Long#MAX_VALUE}, which means unbounded (rule 3.17):
 * once there, it is never decremented. Lock-free, allocation-free, callable from any thread.
 */
final class Demand {
    private final AtomicLong requested = new AtomicLong();

    /** @param n a positive amount to add */
    void add(long n) {
        long r;
        long next;
        do {
            r = requested.get();
            if (r == Long.MAX_VALUE) {
                return;
            }
            next = r + n;
            if (next < 0) {
                next = Long.MAX_VALUE;
            }
        } while (!requested.compareAndSet(r, next));
    }

    /** @return what may be emitted now */
    long get() {
        return requested.get();
    }

    /** @param emitted how many were emitted out of what {@link #get()} returned; no-op when unbounded */
    void produced(long emitted) {
        long r;
        do {
            r = requested.get();
            if (emitted == 0 || r == Long.MAX_VALUE) {
                return;
            }
        } while (!requested.compareAndSet(r, r - emitted));
    }
}
