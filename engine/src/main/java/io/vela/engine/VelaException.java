package io.vela.engine;

/**
 * Root of every exception Vela throws. Unchecked.
 *
 * <p>One exception to the rule, by contract of {@link java.util.concurrent.ExecutorService}: a full ring that
 * rejects a task throws {@link RingFullException}, a {@link java.util.concurrent.RejectedExecutionException}
 * (see ADR 0002).
 */
public class VelaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public VelaException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public VelaException(String message, Throwable cause) {
        super(message, cause);
    }
}
