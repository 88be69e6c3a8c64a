package io.vela.transport.ipc;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Guards a mapped file against being unmapped under a call in flight: calls {@link #enter()} and {@link #exit()}
 * around their use of it; {@link #close(long)} refuses new calls, waits (bounded) for those in flight and releases the
 * file once — on the closing thread when nothing is in flight any more, otherwise on the thread of the last call to
 * leave (so a handler that closes its own reader, or a handler that never returns, delays the unmap, never skips it
 * and never makes it unsafe). Allocation-free.
 */
final class UseGuard {
    private static final long CLOSED = Long.MIN_VALUE;
    private static final long RELEASED = 1L << 62;
    private static final long COUNT = RELEASED - 1;
    /** How long {@link #close(long)} waits by default for calls in flight: 1 s. */
    static final long DEFAULT_WAIT_NANOS = 1_000_000_000L;

    private final AtomicLong state = new AtomicLong();
    private final Runnable release;

    /** @param release frees the resource (unmaps the file); runs exactly once, after close, with nothing in flight */
    UseGuard(Runnable release) {
        this.release = release;
    }

    /** @return false when closed; otherwise the caller must call {@link #exit()} */
    boolean enter() {
        long s = state.incrementAndGet();
        if ((s & CLOSED) != 0) {
            exit();
            return false;
        }
        return true;
    }

    /** Leaves; the last call to leave after a close releases the resource. */
    void exit() {
        if (state.decrementAndGet() == CLOSED) {
            tryRelease();
        }
    }

    boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /**
     * Refuses new calls and waits up to {@code waitNanos} for the calls in flight; the resource is released by
     * whichever of this thread and the last call in flight sees nothing in flight first. Idempotent.
     *
     * @param waitNanos how long to wait for calls in flight (0: do not wait, e.g. when called from within a call)
     */
    void close(long waitNanos) {
        long s;
        do {
            s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
        } while (!state.compareAndSet(s, s | CLOSED));
        long deadline = System.nanoTime() + waitNanos;
        while ((state.get() & COUNT) != 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(10_000);
        }
        tryRelease();
    }

    private void tryRelease() {
        if (state.compareAndSet(CLOSED, CLOSED | RELEASED)) {
            release.run();
        }
    }
}
