package io.vela.engine.actor;

/** The actor failed and its supervisor restarts it: the failing behaviour's last signal before fresh state. */
public record PreRestart() implements Signal {
    /** The instance to use (all instances are equal). */
    public static final PreRestart INSTANCE = new PreRestart();
}
