package io.vela.engine.channel;

import io.vela.engine.RingClosedException;

/**
 * A receiver found the channel closed and drained: every element accepted before {@link Channel#close()} has been
 * received, and nothing more will come. Sending into a closed channel is refused with this exception too (it is a
 * {@link RingClosedException}, so {@code result()} is {@code CLOSED}).
 */
public class ChannelClosedException extends RingClosedException {
    private static final long serialVersionUID = 1L;

    /**
     * @param channel  the channel's name
     * @param capacity its capacity
     * @param message  what was refused
     */
    public ChannelClosedException(String channel, int capacity, String message) {
        super(channel, capacity, message);
    }
}
