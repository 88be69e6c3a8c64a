package io.vela.engine.internal;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * How any Vela thread waits for a full ring (executor, timer, event topic) or a slot being published: Agrona's
 * {@link BackoffIdleStrategy} — spin, yield, then park from 1 µs up to 100 µs. One per thread, made on its first
 * wait, so waiting allocates nothing afterwards. A thread uses it for one wait at a time (waits do not nest).
 */
public final class FullRingBackoff {
    private static final ThreadLocal<IdleStrategy> PER_THREAD = ThreadLocal.withInitial(FullRingBackoff::create);

    private FullRingBackoff() {
    }

    /** @return this thread's back-off, reset for a new wait */
    public static IdleStrategy get() {
        IdleStrategy idle = PER_THREAD.get();
        idle.reset();
        return idle;
    }

    /** @return a new back-off, for a waiter that is not a thread's only one (a shutdown polling several things) */
    public static IdleStrategy create() {
        return new BackoffIdleStrategy(100, 100, 1_000, 100_000);
    }
}
