package io.vela.engine.actor;

/**
 * Handles one message; runs on the actor's turn (never on two threads at once).
 *
 * @param <M> the message type
 */
@FunctionalInterface
public interface MessageHandler<M> {
    /**
     * @param ctx the actor's context
     * @param msg the message
     * @return the behaviour for the next message
     * @throws Exception handed to the actor's supervisor strategy
     */
    Behavior<M> onMessage(ActorContext<M> ctx, M msg) throws Exception;
}
