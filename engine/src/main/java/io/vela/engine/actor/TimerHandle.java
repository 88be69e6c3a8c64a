package io.vela.engine.actor;

import java.util.concurrent.ScheduledFuture;

/** An actor timer on the runtime's timer wheel. Any thread may cancel it. */
final class TimerHandle implements Cancellable {
    private final ScheduledFuture<?> future;

    TimerHandle(ScheduledFuture<?> future) {
        this.future = future;
    }

    @Override
    public boolean cancel() {
        return future.cancel(false);
    }

    @Override
    public boolean isCancelled() {
        return future.isCancelled();
    }

    boolean isDone() {
        return future.isDone();
    }
}
