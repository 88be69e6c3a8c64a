package io.vela.engine.actor;

import io.vela.engine.internal.FullRingBackoff;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * An actor's bounded mailbox: Agrona's {@link ManyToOneConcurrentArrayQueue} (preallocated array, many producers,
 * one consumer) plus the overflow policy. Offer: any thread; allocates nothing. {@link #poll()}: only the actor's
 * consumer (its current turn).
 *
 * <p>{@code DROP_OLDEST}: only one thread may ever remove from the queue, so removal is guarded by a small lock
 * ({@link #pollLock}) that the consumer takes around each poll (never around a handler) and that a sender finding
 * the queue full takes to evict the head. The lock is used by {@code DROP_OLDEST} mailboxes only.
 */
final class Mailbox<M> {
    static final int ACCEPTED = 0;
    static final int FULL = 1;
    static final int DROPPED = 2;
    private static final int EVICT_ATTEMPTS = 64;

    private final ManyToOneConcurrentArrayQueue<M> queue;
    private final MailboxOverflow overflow;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger pollLock = new AtomicInteger();

    Mailbox(int capacity, MailboxOverflow overflow) {
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
        this.overflow = overflow;
    }

    /**
     * @return {@link #ACCEPTED}, {@link #FULL} (refused; the caller applies FAIL or BLOCK), or {@link #DROPPED}
     *         (counted)
     */
    int offer(M m) {
        if (queue.offer(m)) {
            return ACCEPTED;
        }
        switch (overflow) {
            case DROP_NEWEST:
                dropped.incrementAndGet();
                return DROPPED;
            case DROP_OLDEST:
                return evictAndOffer(m);
            default:
                return FULL;
        }
    }

    private int evictAndOffer(M m) {
        for (int i = 0; i < EVICT_ATTEMPTS; i++) {
            if (pollLock.compareAndSet(0, 1)) {
                try {
                    if (queue.poll() != null) {
                        dropped.incrementAndGet();
                    }
                } finally {
                    pollLock.set(0);
                }
            }
            if (queue.offer(m)) {
                return ACCEPTED;
            }
            Thread.onSpinWait();
        }
        // other senders kept taking the freed slots: this message is the one dropped
        dropped.incrementAndGet();
        return DROPPED;
    }

    /**
     * Waits for room with Agrona's back-off.
     *
     * @param stillOpen checked between attempts; waiting ends when it turns false
     * @return true if offered before {@code deadlineNanos}
     */
    boolean offerWaiting(M m, long deadlineNanos, java.util.function.BooleanSupplier stillOpen) {
        IdleStrategy idle = FullRingBackoff.get();
        while (stillOpen.getAsBoolean() && System.nanoTime() - deadlineNanos < 0
                && !Thread.currentThread().isInterrupted()) {
            if (queue.offer(m)) {
                return true;
            }
            idle.idle();
        }
        return false;
    }

    /** @return the oldest message, or {@code null} when empty. Consumer only. */
    M poll() {
        if (overflow != MailboxOverflow.DROP_OLDEST) {
            return queue.poll();
        }
        int spins = 0;
        while (!pollLock.compareAndSet(0, 1)) {
            if (++spins > 100) {
                Thread.yield(); // a sender holding it was descheduled (2 cores)
            } else {
                Thread.onSpinWait();
            }
        }
        try {
            return queue.poll();
        } finally {
            pollLock.set(0);
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int capacity() {
        return queue.capacity();
    }

    long received() {
        return queue.addedCount();
    }

    long depth() {
        return queue.size();
    }

    long dropped() {
        return dropped.get();
    }

    MailboxOverflow overflow() {
        return overflow;
    }
}
