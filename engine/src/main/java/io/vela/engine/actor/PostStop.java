package io.vela.engine.actor;

/** The actor has stopped (after its children): the last thing its behaviour sees. Release resources here. */
public record PostStop() implements Signal {
    /** The instance to use (all instances are equal). */
    public static final PostStop INSTANCE = new PostStop();
}
