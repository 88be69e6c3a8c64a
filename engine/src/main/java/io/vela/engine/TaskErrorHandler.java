package io.vela.engine;

/**
 * Receives what a task threw. Called on the worker thread that ran the task; must not throw. The worker goes on
 * with its next task either way, and the failure is counted in {@link RingStats#failed()}.
 */
@FunctionalInterface
public interface TaskErrorHandler {
    /**
     * @param ring  the ring whose task failed
     * @param task  the task
     * @param error what it threw
     */
    void onError(String ring, Object task, Throwable error);
}
