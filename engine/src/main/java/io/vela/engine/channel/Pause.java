package io.vela.engine.channel;

import io.vela.engine.WaitStrategy;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * What a waiting thread does on its n-th unsuccessful look, for one {@link WaitStrategy}: spin (Agrona's
 * {@link BusySpinIdleStrategy}), yield ({@link YieldingIdleStrategy}), or park — the caller then registers as a
 * waiter so that the other side wakes it, which Agrona's parking strategies cannot do. Immutable and shared by every
 * thread; the caller keeps n; allocates nothing.
 */
final class Pause {
    /** The longest a registered waiter parks before looking again, whatever woke it or not (a safety net). */
    static final long SAFETY_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Spins before {@link #backOff} yields. */
    static final int LANDING_SPINS = 64;

    private final int spins;
    private final int yields;
    private final boolean parks;
    private final long maxParkNanos;

    private Pause(int spins, int yields, boolean parks, long maxParkNanos) {
        this.spins = spins;
        this.yields = yields;
        this.parks = parks;
        this.maxParkNanos = maxParkNanos;
    }

    static Pause of(WaitStrategy strategy) {
        return switch (strategy) {
            case BUSY_SPIN, NO_OP -> new Pause(Integer.MAX_VALUE, 0, false, 0);
            case YIELDING -> new Pause(100, Integer.MAX_VALUE, false, 0);
            case SLEEPING, BACKOFF, PHASED_BACKOFF -> new Pause(100, 10, true, SAFETY_PARK_NANOS);
            case BLOCKING, LITE_BLOCKING -> new Pause(0, 0, true, SAFETY_PARK_NANOS);
            case TIMEOUT_BLOCKING -> new Pause(0, 0, true, TimeUnit.MILLISECONDS.toNanos(1));
            case AUTO -> throw new IllegalArgumentException("resolve AUTO first");
        };
    }

    /**
     * Spins or yields for look {@code n} if this strategy still does at that point.
     *
     * @param n how many looks failed so far in this wait
     * @return false when the caller should park (registered) instead
     */
    boolean idle(int n) {
        if (n < spins) {
            BusySpinIdleStrategy.INSTANCE.idle();
            return true;
        }
        if (n - spins < yields) {
            YieldingIdleStrategy.INSTANCE.idle();
            return true;
        }
        if (parks) {
            return false;
        }
        BusySpinIdleStrategy.INSTANCE.idle();
        return true;
    }

    /**
     * @param nanos the longest single park (tests raise it so that a lost wake-up hangs instead of being hidden)
     * @return a copy with that safety net, or this if the strategy does not park or keeps a shorter one
     */
    Pause withSafetyPark(long nanos) {
        return parks && maxParkNanos == SAFETY_PARK_NANOS ? new Pause(spins, yields, true, nanos) : this;
    }

    /**
     * Backs off while waiting for another thread that is a few instructions from done (a send landing, a close
     * recording its count): spins {@value #LANDING_SPINS} looks, then yields, never parks (nothing would wake it).
     *
     * @param n how many looks failed so far
     */
    static void backOff(int n) {
        if (n < LANDING_SPINS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** @return true if waiters park (and must register to be woken) */
    boolean parks() {
        return parks;
    }

    /** @return the longest single park */
    long maxParkNanos() {
        return maxParkNanos;
    }
}
