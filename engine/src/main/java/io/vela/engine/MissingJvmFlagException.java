package io.vela.engine;

/** A JVM flag Vela's libraries need is missing; the message names the flag to add and where. */
public class MissingJvmFlagException extends VelaException {
    private static final long serialVersionUID = 1L;

    /** @param message names the missing flag */
    public MissingJvmFlagException(String message) {
        super(message);
    }
}
