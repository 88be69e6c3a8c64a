package io.vela.transport.ipc;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets one closing thread wait for the calls in flight on other threads before it unmaps a file, so a close racing
 * an offer or a poll never touches unmapped memory. Allocation-free.
 */
final class UseGuard {
    private static final long CLOSED = Long.MIN_VALUE;
    private final AtomicLong state = new AtomicLong();

    /** @return false when closed; otherwise the caller must call {@link #exit()} */
    boolean enter() {
        long s = state.incrementAndGet();
        if ((s & CLOSED) != 0) {
            state.decrementAndGet();
            return false;
        }
        return true;
    }

    void exit() {
        state.decrementAndGet();
    }

    boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /**
     * Marks closed and waits, up to a second, for the calls in flight (a handler that closes its own reader is one
     * of them: it is not waited for).
     *
     * @return true for the first caller when nothing is in flight any more: it must release the resource; false
     *         when already closed or a call is still in flight (the resource is then left to the garbage collector)
     */
    boolean close() {
        long s;
        do {
            s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
        } while (!state.compareAndSet(s, s | CLOSED));
        long deadline = System.nanoTime() + 1_000_000_000L;
        while ((state.get() & ~CLOSED) != 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(10_000);
        }
        return true;
    }
}
