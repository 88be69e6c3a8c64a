package io.vela.engine.actor;

/**
 * What an actor does with its next message: built with {@link Behaviors} or by extending
 * {@link AbstractBehavior}. A handler returns the behaviour for the next message ({@link Behaviors#same()} to keep
 * the current one, {@link Behaviors#stopped()} to stop). Behaviours are values: implement this interface only
 * through {@link AbstractBehavior}; a spawn of any other implementation is refused.
 *
 * @param <M> the message type
 */
public interface Behavior<M> {
}
