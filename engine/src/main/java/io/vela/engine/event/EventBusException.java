package io.vela.engine.event;

import io.vela.engine.VelaException;

/** The event bus refused a call: it is closed, or a subscription or topic was declared wrongly. */
public class EventBusException extends VelaException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public EventBusException(String message) {
        super(message);
    }
}
