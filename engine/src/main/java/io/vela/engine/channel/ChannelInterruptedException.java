package io.vela.engine.channel;

import io.vela.engine.VelaException;

/**
 * A thread waiting in {@link Channel#receive()}, {@link Channel#receive(java.time.Duration)} or a select was
 * interrupted. It took nothing, and its interrupt flag is still set. (An interrupted {@code send} is refused with a
 * {@link io.vela.engine.RingFullException} instead, as the executor refuses an interrupted submitter.)
 */
public class ChannelInterruptedException extends VelaException {
    private static final long serialVersionUID = 1L;

    /** @param message which channel, and what the thread was waiting for */
    public ChannelInterruptedException(String message) {
        super(message);
    }
}
