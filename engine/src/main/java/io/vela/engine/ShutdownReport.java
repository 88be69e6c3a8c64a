package io.vela.engine;

import java.time.Duration;

/**
 * What a shutdown achieved for one ring or pool.
 *
 * @param name      the ring or pool
 * @param completed true if everything accepted ran before the deadline
 * @param notRun    accepted items that did not run (0 when {@code completed})
 * @param took      how long the shutdown took
 */
public record ShutdownReport(String name, boolean completed, long notRun, Duration took) {
    @Override
    public String toString() {
        return name + ": " + (completed ? "drained" : "deadline passed, " + notRun + " accepted item(s) not run")
                + " in " + took.toMillis() + " ms";
    }
}
