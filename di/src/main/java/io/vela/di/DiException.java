package io.vela.di;

/**
 * Root of every exception the container throws (unchecked). Kept separate from the engine's
 * {@code VelaException} because {@code di} does not depend on the engine.
 */
public class DiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     */
    public DiException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public DiException(String message, Throwable cause) {
        super(message, cause);
    }
}
