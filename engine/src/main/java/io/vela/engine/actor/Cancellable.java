package io.vela.engine.actor;

/** A handle on an actor timer. Any thread may call it. */
public interface Cancellable {
    /** @return true if this call cancelled the timer (false if it had already fired once-only or was cancelled) */
    boolean cancel();

    /** @return true once cancelled (explicitly or because the actor stopped) */
    boolean isCancelled();
}
