package io.vela.engine.channel.flow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Re-checks a channel later, with a growing delay, instead of holding a thread while it is empty (publisher side) or
 * full (subscriber side). At most one re-check is pending at a time. The delay starts at {@value #FIRST_NANOS} ns
 * and doubles up to {@value #LAST_NANOS} ns (1 ms: the worst wake-up latency of an idle adapter); {@link #reset()}
 * after progress starts over.
 *
 * <p>The delay runs on the JDK's one shared delay thread ({@link CompletableFuture#delayedExecutor}), which only
 * calls {@code recheck}; the adapters hand the real work to their own executor from there. Threads: {@link #later}
 * and {@link #reset} are called by the one thread that owns the adapter's drain loop at that moment. Allocation:
 * none on the busy path; each scheduled re-check allocates the JDK's timer task.
 */
final class IdleBackoff {
    static final long FIRST_NANOS = 10_000;
    static final long LAST_NANOS = 1_000_000;

    private static final Executor[] DELAYS = delays();

    private final AtomicBoolean pending = new AtomicBoolean();
    private final Runnable fire;
    private int level;

    /** @param recheck what to run after the delay (on the JDK's delay thread: keep it short) */
    IdleBackoff(Runnable recheck) {
        this.fire = () -> {
            pending.set(false);
            recheck.run();
        };
    }

    /** Schedules one re-check after the current delay, unless one is already pending; the next delay is longer. */
    void later() {
        if (pending.compareAndSet(false, true)) {
            DELAYS[level].execute(fire);
            if (level < DELAYS.length - 1) {
                level++;
            }
        }
    }

    /**
     * Schedules one re-check after the longest delay ({@value #LAST_NANOS} ns), unless one is already pending: the
     * safety net behind a readiness hook that may be missed. Does not change the next {@link #later()} delay.
     */
    void safetyNet() {
        if (pending.compareAndSet(false, true)) {
            DELAYS[DELAYS.length - 1].execute(fire);
        }
    }

    /** Progress was made: the next idle period starts with the shortest delay again. */
    void reset() {
        level = 0;
    }

    private static Executor[] delays() {
        int n = Long.numberOfTrailingZeros(Long.highestOneBit(LAST_NANOS / FIRST_NANOS)) + 2;
        Executor[] delays = new Executor[n];
        long d = FIRST_NANOS;
        for (int i = 0; i < n; i++) {
            delays[i] = CompletableFuture.delayedExecutor(Math.min(d, LAST_NANOS), TimeUnit.NANOSECONDS, Runnable::run);
            d <<= 1;
        }
        return delays;
    }
}
