package io.vela.engine.internal;

import java.util.concurrent.locks.LockSupport;

/** How a publisher waits for a slot in a full ring: spin, then yield, then park with a growing pause. */
final class Backoff {
    private static final int SPINS = 100;
    private static final int YIELDS = 200;
    private static final long MAX_PARK_NANOS = 100_000;

    private Backoff() {
    }

    /**
     * @param attempt how many times the caller has waited so far (0 on the first call)
     */
    static void pause(int attempt) {
        if (attempt < SPINS) {
            Thread.onSpinWait();
        } else if (attempt < YIELDS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, 1_000L << Math.min(7, (attempt - YIELDS) / 16)));
        }
    }
}
