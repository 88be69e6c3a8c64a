package io.vela.transport;

import io.vela.engine.VelaException;

/** Root of the transport's failures: a message that could not be encoded, decoded, sent or received. */
public class TransportException extends VelaException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public TransportException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
