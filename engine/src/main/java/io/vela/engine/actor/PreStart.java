package io.vela.engine.actor;

/**
 * The actor has started: its behaviour has just been created (by {@link Behaviors#setup} or spawn), before its first
 * message; again after each restart. What its handler returns is ignored.
 */
public record PreStart() implements Signal {
    /** The instance to use (all instances are equal). */
    public static final PreStart INSTANCE = new PreStart();
}
