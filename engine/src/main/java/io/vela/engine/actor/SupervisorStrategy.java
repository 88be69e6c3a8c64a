package io.vela.engine.actor;

import io.vela.engine.VelaConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a supervised actor does when a handler throws: {@link #restart()} (fresh state from the original
 * behaviour, optionally with back-off and a limit), {@link #resume()} (keep state, skip the message) or
 * {@link #stop()}. Immutable.
 */
public final class SupervisorStrategy {
    enum Kind { RESTART, RESUME, STOP }

    final Kind kind;
    final Duration minBackoff;
    final Duration maxBackoff;
    final int maxRestarts;
    final Duration window;

    private SupervisorStrategy(Kind kind, Duration minBackoff, Duration maxBackoff, int maxRestarts,
            Duration window) {
        this.kind = kind;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.maxRestarts = maxRestarts;
        this.window = window;
    }

    /** @return restart at once, without limit */
    public static SupervisorStrategy restart() {
        return new SupervisorStrategy(Kind.RESTART, Duration.ZERO, Duration.ZERO, -1, Duration.ZERO);
    }

    /** @return keep the behaviour and its state; the failing message is skipped */
    public static SupervisorStrategy resume() {
        return new SupervisorStrategy(Kind.RESUME, Duration.ZERO, Duration.ZERO, -1, Duration.ZERO);
    }

    /** @return stop the actor (the default, with the failure logged) */
    public static SupervisorStrategy stop() {
        return new SupervisorStrategy(Kind.STOP, Duration.ZERO, Duration.ZERO, -1, Duration.ZERO);
    }

    /**
     * Waits before each restart: {@code min}, doubling per consecutive failure, at most {@code max}. Messages stay
     * in the mailbox meanwhile.
     *
     * @param min the first back-off
     * @param max the largest back-off
     * @return a restart strategy with back-off
     * @throws VelaConfigException if not a restart strategy or {@code 0 < min <= max} does not hold
     */
    public SupervisorStrategy withBackoff(Duration min, Duration max) {
        requireRestart("withBackoff");
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new VelaConfigException(List.of("supervisor backoff = " + min + ".." + max
                    + " is invalid; valid: 0 < min <= max"));
        }
        return new SupervisorStrategy(kind, min, max, maxRestarts, window);
    }

    /**
     * Stops the actor instead of restarting it once it has restarted {@code maxRestarts} times within
     * {@code window}.
     *
     * @param maxRestarts restarts allowed within the window, {@code >= 1}
     * @param window      the sliding window, positive
     * @return a restart strategy with a limit
     * @throws VelaConfigException if not a restart strategy or a value is out of range
     */
    public SupervisorStrategy withLimit(int maxRestarts, Duration window) {
        requireRestart("withLimit");
        Objects.requireNonNull(window, "window");
        if (maxRestarts < 1 || window.isNegative() || window.isZero()) {
            throw new VelaConfigException(List.of("supervisor limit = " + maxRestarts + " in " + window
                    + " is invalid; valid: maxRestarts >= 1 within a positive window"));
        }
        return new SupervisorStrategy(kind, minBackoff, maxBackoff, maxRestarts, window);
    }

    private void requireRestart(String what) {
        if (kind != Kind.RESTART) {
            throw new VelaConfigException(List.of("supervisor " + what + " on strategy " + kind.name().toLowerCase()
                    + " is invalid; valid: only on restart()"));
        }
    }

    /**
     * @param consecutive failures in a row so far, counting this one (1 for the first)
     * @return the back-off in nanoseconds before this restart, 0 for none
     */
    long backoffNanos(int consecutive) {
        if (minBackoff.isZero()) {
            return 0;
        }
        long b = minBackoff.toNanos();
        long max = maxBackoff.toNanos();
        for (int i = 1; i < consecutive && b < max; i++) {
            b = b > max / 2 ? max : b * 2;
        }
        return Math.min(b, max);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + (minBackoff.isZero() ? "" : " backoff " + minBackoff + ".." + maxBackoff)
                + (maxRestarts < 0 ? "" : " limit " + maxRestarts + " in " + window);
    }
}
