package io.vela.engine;

import java.time.Duration;

/**
 * Told when the watchdog sees a worker stuck on one task longer than {@code watchdog.stall-ms}. Called on the
 * blocking-work pool (never on the timer thread, which runs the watchdog: a listener that blocks delays nothing);
 * called again for the same stall only after the worker makes progress and stalls anew.
 * The default logs an SLF4J warning with the worker's stack.
 */
@FunctionalInterface
public interface StallListener {
    /**
     * @param ring   the ring
     * @param worker the stuck thread (its stack shows where)
     * @param stuck  for how long, at least
     */
    void onStall(String ring, Thread worker, Duration stuck);
}
