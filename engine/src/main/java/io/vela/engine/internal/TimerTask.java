package io.vela.engine.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.DeadlineTimerWheel;

/**
 * A delayed or periodic task of the {@link TimerService}, and the future its caller holds. Also the command the
 * timer agent receives: it is offered to the agent's queue when scheduled, when rescheduled after a periodic run,
 * and when cancelled. Fields without {@code volatile} are touched by the agent thread only.
 */
final class TimerTask extends CompletableFuture<Object> implements ScheduledFuture<Object>, Runnable {
    private final TimerService owner;
    private final Runnable body;
    private final java.util.concurrent.Callable<?> callable;
    /** 0: one-shot; &gt; 0: fixed rate; &lt; 0: fixed delay (negated). */
    private final long periodNanos;
    volatile long deadline;
    long timerId = DeadlineTimerWheel.NULL_DEADLINE;
    boolean retired;

    TimerTask(TimerService owner, Runnable body, java.util.concurrent.Callable<?> callable, long deadline,
            long periodNanos) {
        this.owner = owner;
        this.body = body;
        this.callable = callable;
        this.deadline = deadline;
        this.periodNanos = periodNanos;
    }

    boolean periodic() {
        return periodNanos != 0;
    }

    /** Runs on an executor worker when the timer fires. */
    @Override
    public void run() {
        try {
            runOnce();
        } finally {
            owner.finished();
        }
    }

    private void runOnce() {
        if (isDone()) {
            return;
        }
        if (periodic() && !owner.running()) {
            owner.reschedule(this); // shut down since it fired: cancelled, not run
            return;
        }
        try {
            if (callable != null) {
                complete(callable.call());
                return;
            }
            body.run();
            if (!periodic()) {
                complete(null);
                return;
            }
        } catch (Throwable t) {
            owner.onTaskFailed(this, t);
            completeExceptionally(t);
        }
        if (periodic()) {
            deadline = periodNanos > 0 ? deadline + periodNanos : System.nanoTime() - periodNanos; // capped: no overflow
            owner.reschedule(this);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            owner.enqueue(this);
        }
        return cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public String toString() {
        return "TimerTask[" + (callable != null ? callable : body) + "]";
    }
}
