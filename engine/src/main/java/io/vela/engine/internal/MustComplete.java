package io.vela.engine.internal;

/**
 * A task that completes something a user may wait on (the event bus's {@code terminated()} futures), handed to a
 * {@link RingExecutorImpl}: if the executor is halted before running it — {@code shutdownNow}, or a shutdown whose
 * deadline cut the drain — the shutdown sweep calls {@link #notRun()} on the closing thread, so that the wait ends
 * anyway. Under {@code shutdownNow} the task is also returned in the list, and its caller may run it as well: the two
 * must be safe to do both (completing a future twice is).
 *
 * <p>Threads: {@link #run()} on a worker (or whoever runs the returned task); {@link #notRun()} on the closing thread,
 * at most once per sweep, and it must not block (hand user code to another thread). Allocates what the implementation
 * does; the executor allocates nothing for it.
 */
public interface MustComplete extends Runnable {
    /** The executor was halted before running this task: complete what {@link #run()} would have completed. */
    void notRun();
}
