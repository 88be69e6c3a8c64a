package io.vela.engine;

import java.util.Locale;

/**
 * What a publisher does when a ring is full. Never an unbounded buffer.
 *
 * <p>Config names: {@code block}, {@code block-timeout}, {@code fail-fast}, {@code caller-runs}.
 */
public enum OverflowPolicy {
    /** Wait, backing off with the ring's wait strategy, until a slot frees (or the ring shuts down). */
    BLOCK,
    /** Wait up to the configured timeout, then throw {@link RingFullException}. */
    BLOCK_TIMEOUT,
    /** Throw {@link RingFullException} at once, naming the ring and its capacity. */
    FAIL_FAST,
    /**
     * Run the task on the submitting thread. For keyed tasks this would break per-key order, so keyed tasks
     * block instead.
     */
    CALLER_RUNS;

    /** @return the configuration name, e.g. {@code block-timeout} */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
