package io.vela.engine.event;

import io.vela.engine.VelaException;

/**
 * A usage error of the event bus: a topic or subscription declared wrongly, a subscription or topic declaration on
 * a closed bus, a second thread publishing on a single-publisher topic. A publish the bus refuses (full, closed) is
 * not one: that is an {@link io.vela.engine.RingRejectedException}.
 */
public class EventBusException extends VelaException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public EventBusException(String message) {
        super(message);
    }
}
