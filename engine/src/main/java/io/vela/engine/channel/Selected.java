package io.vela.engine.channel;

import java.util.Optional;

/**
 * Which case of a {@link Select} fired, and how. One instance per case and outcome, made when the case is added,
 * so {@link Select#await()} allocates nothing. Immutable; any thread.
 */
public final class Selected {
    /** What {@link Select#await(java.time.Duration)} returns when no case was ready in time. */
    public static final Selected TIMED_OUT = new Selected(-1, null, false);

    private final int index;
    private final Channel<?> channel;
    private final boolean closed;

    Selected(int index, Channel<?> channel, boolean closed) {
        this.index = index;
        this.channel = channel;
        this.closed = closed;
    }

    /** @return the case's position, in the order the cases were added (0 first), or -1 for {@link #TIMED_OUT} */
    public int index() {
        return index;
    }

    /** @return the case's channel, or empty for {@link #TIMED_OUT} */
    public Optional<Channel<?>> channel() {
        return Optional.ofNullable(channel);
    }

    /**
     * @return true if the case fired because its channel is closed: a receive case's channel is closed and drained
     *         (its handler was not called), or a send case's channel refused the value as closed (not sent, its
     *         action not run)
     */
    public boolean closed() {
        return closed;
    }

    /** @return true if no case was ready before the timeout */
    public boolean timedOut() {
        return index < 0;
    }

    @Override
    public String toString() {
        return timedOut() ? "Selected[timed out]"
                : "Selected[" + index + ", " + channel.name() + (closed ? ", closed]" : "]");
    }
}
