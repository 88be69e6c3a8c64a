package io.vela.engine.actor;

/**
 * A watched actor stopped ({@link ActorContext#watch}).
 *
 * @param ref the actor that stopped
 */
public record Terminated(ActorRef<?> ref) implements Signal {
}
