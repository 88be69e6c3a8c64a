package io.vela.engine.actor;

import io.vela.engine.VelaException;

/** A spawn used a name that is malformed or already taken by a live sibling; the message names both. */
public class InvalidActorNameException extends VelaException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the name */
    public InvalidActorNameException(String message) {
        super(message);
    }
}
