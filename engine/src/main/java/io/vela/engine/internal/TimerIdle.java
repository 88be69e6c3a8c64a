package io.vela.engine.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The timer agent's idle strategy for {@code timer.idle-strategy=auto}: the idle timer thread parks until it has
 * something to do (ADR 0018) — the next watchdog sample, the next timer deadline (or wheel tick), or a signal from
 * a thread that hands it a command or changes its state. While the hand-off list waits for room in the executor, or
 * while its re-check keeps finding a change that the duty cycle finds no work in (a producer descheduled between its
 * claim of a queue slot and its store), it backs off as Agrona's {@link BackoffIdleStrategy} does (spins, yields,
 * parks up to 1 ms).
 *
 * <p>No lost wake-up (a Dekker handshake): the agent publishes "parked" (a volatile write), then re-checks its
 * inputs ({@link Duty#hasWork()}: the command queue, the stop and state flags) and only then parks; a thread that
 * changed an input (a volatile write or CAS: the queue's tail, a flag) then calls {@link #wake()}, which reads
 * "parked" and unparks the agent if it is set. Either the agent's re-check sees the change or the waker sees
 * "parked". A waker that finds the agent awake costs one volatile read; of several racing wakers one unparks (the
 * flag is cleared by compare-and-set). A new timer due after the parked agent's own wake-up ({@link #wakeBy}) does
 * not wake it: an actor's {@code ask} schedules and cancels a timeout each time, and an unpark per ask would cost
 * the asking thread a system call and the timer thread a wake-up.
 *
 * <p>Threads: {@link #idle(int)} and {@link #idle()} on the timer thread only (through {@code AgentRunner});
 * {@link #wake()} from any thread. Allocates nothing after construction.
 */
public final class TimerIdle implements IdleStrategy {
    /** From {@link Duty#sleepNanos(long)}: do not sleep long, back off briefly (the hand-off list waits). */
    static final long BACK_OFF = -1;
    /** The longest park: a safety net, so that a wake-up nobody sent costs at most this. */
    static final long MAX_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final VarHandle PARKED;

    static {
        try {
            PARKED = MethodHandles.lookup().findVarHandle(TimerIdle.class, "parked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What the agent tells its idle strategy (timer thread only). */
    interface Duty {
        /**
         * @param now {@code System.nanoTime()}
         * @return how long the agent may sleep: &le; 0 not at all (go round again), {@link #BACK_OFF} a short
         *         back-off, else nanoseconds until its next due work
         */
        long sleepNanos(long now);

        /** @return true if an input changed since the last duty cycle (read after "parked" is published) */
        boolean hasWork();
    }

    private final BackoffIdleStrategy backOff = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
    private final AtomicLong parks = new AtomicLong();
    private final AtomicLong unparks = new AtomicLong();
    private volatile boolean parked;
    /** When the parked agent wakes by itself ({@code System.nanoTime()}); written before {@link #parked}. */
    private volatile long wakeAt;
    private volatile Thread thread;
    private Duty duty;

    /** Called once by the {@link TimerService} that owns the agent, before its thread starts. */
    void attach(Duty agentDuty) {
        this.duty = agentDuty;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            backOff.reset();
            return;
        }
        idle();
    }

    @Override
    public void idle() {
        long sleep = duty.sleepNanos(System.nanoTime());
        if (sleep == BACK_OFF) {
            backOff.idle();
            return;
        }
        if (sleep <= 0) {
            backOff.reset();
            return;
        }
        if (thread == null) {
            thread = Thread.currentThread();
        }
        long nanos = Math.min(sleep, MAX_PARK_NANOS);
        wakeAt = System.nanoTime() + nanos;
        boolean changed = true;
        parked = true; // volatile write, then the re-check: the Dekker handshake with wake()
        try {
            changed = duty.hasWork();
            if (!changed) {
                parks.lazySet(parks.get() + 1);
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            parked = false;
        }
        if (changed) {
            // usually the next duty cycle finds the work (and resets this); one that finds none (a producer
            // descheduled between its claim and its store) makes it back off instead of spinning
            backOff.idle();
        } else {
            backOff.reset();
        }
    }

    /**
     * Any thread, after it changed something the agent's duty cycle reads: unparks the agent if it is parked or
     * about to park; otherwise one volatile read.
     */
    void wake() {
        if (parked && PARKED.compareAndSet(this, true, false)) {
            Thread t = thread;
            if (t != null) {
                unparks.incrementAndGet();
                LockSupport.unpark(t);
            }
        }
    }

    /** @return true if the agent is parked or about to park (one volatile read; any thread) */
    boolean parked() {
        return parked;
    }

    /**
     * Any thread, after it handed the agent a timer due at {@code deadline}: unparks the agent only if it is parked
     * (or about to park) and would wake after that deadline; a later deadline waits for the agent's own wake-up.
     *
     * @param deadline {@code System.nanoTime()} at which the timer is due
     */
    void wakeBy(long deadline) {
        if (parked && deadline - wakeAt < 0) {
            wake();
        }
    }

    /** @return how many times the agent parked (for tests and diagnostics) */
    long parks() {
        return parks.get();
    }

    /** @return how many times a waker unparked the agent (for tests and diagnostics) */
    long unparks() {
        return unparks.get();
    }

    @Override
    public void reset() {
        backOff.reset();
    }

    @Override
    public String alias() {
        return "park-until-due";
    }
}
