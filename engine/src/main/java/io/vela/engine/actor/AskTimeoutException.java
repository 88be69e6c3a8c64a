package io.vela.engine.actor;

import io.vela.engine.VelaException;
import java.time.Duration;

/** An {@link ActorRef#ask} got no reply in time. The message names the actor and the request's type. */
public class AskTimeoutException extends VelaException {
    private static final long serialVersionUID = 1L;

    /** The actor asked (not serialized). */
    private final transient ActorPath target;
    private final String messageType;

    /**
     * @param target      the actor asked
     * @param messageType the request's class name
     * @param timeout     how long the ask waited
     */
    public AskTimeoutException(ActorPath target, String messageType, Duration timeout) {
        super("ask of " + target + " with a " + messageType + " got no reply within " + timeout.toMillis() + " ms");
        this.target = target;
        this.messageType = messageType;
    }

    /** @return the actor asked */
    public ActorPath target() {
        return target;
    }

    /** @return the request's class name */
    public String messageType() {
        return messageType;
    }
}
