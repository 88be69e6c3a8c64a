package io.vela.engine.actor;

/** The actor failed and its supervisor restarts it: the failing behaviour's last signal before fresh state. */
public final class PreRestart implements Signal {
    /** The only instance. */
    public static final PreRestart INSTANCE = new PreRestart();

    private PreRestart() {
    }

    @Override
    public String toString() {
        return "PreRestart";
    }
}
