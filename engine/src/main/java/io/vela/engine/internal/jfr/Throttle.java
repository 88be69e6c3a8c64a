package io.vela.engine.internal.jfr;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one event through per period, and says how much a running total grew since the last one let through. Any
 * thread; one {@code nanoTime} and one volatile read when not due, a CAS when due; allocates nothing.
 */
final class Throttle {
    /** Default period between two events of one ring or subscription. */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AtomicLong next = new AtomicLong(System.nanoTime());
    private final AtomicLong lastTotal = new AtomicLong();

    /**
     * @param total the running total now
     * @return its growth since the last event let through (0 when it did not grow), or -1 when no event is due
     */
    long due(long total) {
        long now = System.nanoTime();
        long n = next.get();
        if (now - n < 0 || !next.compareAndSet(n, now + PERIOD_NANOS)) {
            return -1;
        }
        // a refuser preempted between counting and calling may bring an older total than the last event's: the
        // reported total only moves forward, so that no refusal is counted by two events
        return Math.max(0, total - lastTotal.getAndAccumulate(total, Math::max));
    }
}
