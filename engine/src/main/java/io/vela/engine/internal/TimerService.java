package io.vela.engine.internal;

import io.vela.engine.OfferResult;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingClosedException;
import io.vela.engine.RingExecutor;
import io.vela.engine.RingFullException;
import io.vela.engine.RingStats;
import io.vela.engine.ShutdownReport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import io.vela.engine.counters.CounterTypes;
import io.vela.engine.counters.VelaCounters;
import io.vela.engine.internal.jfr.RejectionEvents;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.status.AtomicCounter;
import java.util.function.LongToIntFunction;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delayed and periodic tasks on Agrona's {@link DeadlineTimerWheel}, driven by one agent thread
 * ({@link AgentRunner} with the configured idle strategy), exposed as a {@link ScheduledExecutorService}.
 *
 * <p>Any thread may schedule or cancel: the request travels to the agent through a bounded Agrona
 * {@link ManyToOneConcurrentArrayQueue}; only the agent touches the wheel. Expired tasks run on the dispatch
 * executor (the ring executor), never on the timer thread, so a slow task cannot delay other timers. Periodic
 * runs never overlap: the next run is scheduled when the previous one ends. At most {@code maxPending} timers are
 * pending; past that, {@code schedule} follows the overflow policy. Scheduling allocates the returned future.
 *
 * <p>The timer thread never waits on the executor: it offers expired tasks with
 * {@link RingExecutor#tryExecute(Runnable)}, and when the ring is full it keeps them, in deadline order, in a
 * hand-off list of its own (bounded by {@code maxPending}, since each is still a pending timer) and offers them
 * again on every duty cycle before anything newer. So a full executor delays timers, but never stops the wheel
 * or the watchdog that shares the thread, and never runs a user's task on the timer thread.
 *
 * <p>Shutdown follows {@link java.util.concurrent.ScheduledThreadPoolExecutor}'s defaults: {@link #shutdown()}
 * refuses new tasks, cancels periodic ones and lets delayed one-shot tasks fire at their time, then terminates;
 * {@link #shutdownNow()} cancels everything pending and returns it. The runtime's {@code close()} uses
 * {@link #shutdownNow(Duration)}: pending timers are cancelled and reported, within a deadline.
 *
 * <p>The agent also runs the runtime's housekeeping (the watchdog) once per duty cycle.
 *
 * <p>With a {@link TimerIdle} as its idle strategy ({@code timer.idle-strategy=auto}), the idle timer thread parks
 * until its next due work (the housekeeping's next run, the earliest timer) or until a thread wakes it: a timer
 * due before the agent's own wake-up ({@link #enqueue}; a later one or a cancel waits for it, unless a quarter of the
 * command queue, or half the room {@code maxPending} had left when it parked, is taken), {@link #shutdown()},
 * {@link #shutdownNow()}, {@link #stop(Duration)}, and the last fired task finishing after a shutdown (ADR 0018).
 */
public final class TimerService extends AbstractExecutorService implements ScheduledExecutorService, RingStats {
    private static final Logger LOG = LoggerFactory.getLogger(TimerService.class);
    /** Running; {@link #shutdown()}: no new tasks, periodic ones cancelled; {@link #shutdownNow()}: all cancelled. */
    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int SHUTDOWN_NOW = 2;
    /** The longest delay or period taken as given; longer ones are this (about 73 years), as STPE avoids overflow. */
    static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 2;

    private final String name;
    private final RingExecutorImpl dispatch;
    private final int maxPending;
    private final OverflowPolicy policy;
    private final long blockTimeoutNanos;
    private final ManyToOneConcurrentArrayQueue<TimerTask> commands;
    private final AtomicLong pending = new AtomicLong();
    /** In the runtime's counters file: shared counters ({@code getAndAdd}), except fired (the timer thread's). */
    private final AtomicCounter scheduled;
    private final AtomicCounter fired;
    private final AtomicCounter rejected;
    private final AtomicCounter failed;
    private final RejectionEvents rejections;
    private final AtomicLong cancelledAtClose = new AtomicLong();
    /** Counted down once shut down with nothing pending or running, or when the agent thread ends. */
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Counted down when the agent thread ends (only {@link #stop(Duration)} ends it). */
    private final CountDownLatch agentEnded = new CountDownLatch(1);
    /** Counted down when the agent has cancelled everything after {@link #shutdownNow()}. */
    private final CountDownLatch cancelledAll = new CountDownLatch(1);
    /** Fired tasks handed to the executor that have not finished running. */
    private final AtomicLong inFlight = new AtomicLong();
    /** Set by the runtime's close only: the agent thread ends (the watchdog with it). */
    private volatile boolean stopAgent;
    private volatile long largestBatch;
    private final TimerAgent agent;
    private final AgentRunner runner;
    /** The agent thread's name, set by {@link #start}: the agent's role name, which AgentRunner gives its thread. */
    private volatile String threadName;
    private volatile int state = RUNNING;
    /** Set by the agent before its last drain of the command queue: a command offered later is nobody's. */
    private volatile boolean draining;
    /** The tasks the agent cancelled on {@link #shutdownNow()} or when it stopped (written by the agent). */
    private volatile List<Runnable> notRunAtClose = List.of();
    /** The parking idle strategy, if the agent has one (else null: nobody to wake). */
    private final TimerIdle parker;
    /** Duty cycles run (written by the agent; for tests and diagnostics). */
    private final AtomicLong cycles = new AtomicLong();
    /** At most a quarter of the command queue piles up while the agent sleeps. */
    private final int maxQueuedWhileParked;
    /**
     * Past this many queued commands, or at this many pending timers, an enqueue wakes the parked agent whatever the
     * deadline: what leaves half the room {@code maxPending} had when the agent last made ready to park (cancels
     * free room only once the agent retires them). Written by the agent before it publishes "parked" (ADR 0018).
     */
    private volatile int wakeAtCommands;
    private volatile long wakeAtPending;

    /**
     * The runtime's housekeeping, run by the timer agent once per duty cycle with {@code System.nanoTime()}
     * ({@link #applyAsInt} returns the work done); it says when it next wants to run, so that an idle agent may
     * sleep until then. Called on the timer thread only.
     */
    public interface Housekeeping extends LongToIntFunction {
        /**
         * @param now {@code System.nanoTime()}
         * @return nanoseconds until the next run has work to do (0: now; {@code Long.MAX_VALUE}: never)
         */
        long nanosUntilDue(long now);

        /**
         * @return housekeeping that runs {@code a} then {@code b} and is due when either is
         */
        static Housekeeping both(Housekeeping a, Housekeeping b) {
            return new Housekeeping() {
                @Override
                public int applyAsInt(long now) {
                    return a.applyAsInt(now) + b.applyAsInt(now);
                }

                @Override
                public long nanosUntilDue(long now) {
                    return Math.min(a.nanosUntilDue(now), b.nanosUntilDue(now));
                }
            };
        }
    }

    /**
     * @param name              thread and stats name
     * @param dispatch          where expired tasks run
     * @param tickNanos         wheel tick (a power of two)
     * @param ticksPerWheel     wheel slots (a power of two)
     * @param maxPending        bound on pending timers
     * @param policy            what schedule does at the bound (not caller-runs)
     * @param blockTimeout      how long block-timeout waits
     * @param idle              the agent's idle strategy; a {@link TimerIdle} parks the idle agent until it is due
     * @param housekeeping      called once per duty cycle on the timer thread with {@code System.nanoTime()};
     *                          returns work done, says when it is next due
     * @param counters          where its counters live
     */
    public TimerService(String name, RingExecutorImpl dispatch, long tickNanos, int ticksPerWheel, int maxPending,
            OverflowPolicy policy, Duration blockTimeout, IdleStrategy idle, Housekeeping housekeeping,
            VelaCounters counters) {
        this.name = name;
        this.scheduled = counters.newCounter(CounterTypes.RING, name, "published");
        this.fired = counters.newCounter(CounterTypes.RING, name, "completed");
        this.rejected = counters.newCounter(CounterTypes.RING, name, "rejected");
        this.failed = counters.newCounter(CounterTypes.RING, name, "failed");
        this.rejections = new RejectionEvents(name);
        this.dispatch = dispatch;
        this.maxPending = maxPending;
        this.policy = policy;
        this.blockTimeoutNanos = blockTimeout.toNanos();
        // room for every pending timer plus its cancel and reschedule commands
        this.commands = new ManyToOneConcurrentArrayQueue<>(Math.max(64, Math.min(1 << 26, maxPending * 2)));
        this.maxQueuedWhileParked = commands.capacity() / 4;
        this.wakeAtCommands = maxQueuedWhileParked;
        this.wakeAtPending = (maxPending + 1) / 2;
        this.agent = new TimerAgent(tickNanos, ticksPerWheel, housekeeping);
        this.parker = idle instanceof TimerIdle ti ? ti : null;
        if (parker != null) {
            parker.attach(agent);
        }
        this.runner = new AgentRunner(idle, this::onAgentError, null, agent);
    }

    /**
     * @param factory    makes the agent thread
     * @param threadName its name
     * @return this
     */
    public TimerService start(ThreadFactory factory, String threadName) {
        this.threadName = threadName; // AgentRunner renames its thread after the agent's role: keep the given name
        AgentRunner.startOnThread(runner, r -> {
            Thread t = factory.newThread(r);
            t.setName(threadName);
            return t;
        });
        return this;
    }

    private void onAgentError(Throwable t) {
        if (!(t instanceof AgentTerminationException)) {
            LOG.error("Timer agent '{}' error", name, t);
        }
    }

    // ---- scheduling (any thread)

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        return admit(new TimerTask(this, command, null, deadline(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        @SuppressWarnings("unchecked")
        ScheduledFuture<V> f = (ScheduledFuture<V>) (ScheduledFuture<?>) admit(
                new TimerTask(this, null, callable, deadline(delay, unit), 0));
        return f;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        if (period <= 0) {
            throw new IllegalArgumentException("period must be > 0, was " + period);
        }
        return admit(new TimerTask(this, command, null, deadline(initialDelay, unit),
                Math.min(unit.toNanos(period), MAX_DELAY_NANOS)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be > 0, was " + delay);
        }
        return admit(new TimerTask(this, command, null, deadline(initialDelay, unit),
                -Math.min(unit.toNanos(delay), MAX_DELAY_NANOS)));
    }

    /** Runs {@code command} on the executor at once (not through the wheel). */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        if (state != RUNNING) {
            throw closedException();
        }
        dispatch.execute(command);
    }

    private static long deadline(long delay, TimeUnit unit) {
        return System.nanoTime() + Math.min(Math.max(0, unit.toNanos(delay)), MAX_DELAY_NANOS);
    }

    private TimerTask admit(TimerTask task) {
        long deadline = Long.MAX_VALUE;
        IdleStrategy idle = null;
        while (true) {
            if (state != RUNNING) {
                throw closedException();
            }
            long p = pending.get();
            if (p < maxPending) {
                if (pending.compareAndSet(p, p + 1)) {
                    break;
                }
                continue;
            }
            if (policy == OverflowPolicy.FAIL_FAST || Thread.currentThread() == runner.thread()) {
                // the timer thread itself (a stall listener scheduling) must not wait: only it frees timers
                throw fullException("has " + maxPending + " pending timers (overflow policy fail-fast)");
            }
            long now = System.nanoTime();
            if (policy == OverflowPolicy.BLOCK_TIMEOUT) {
                if (deadline == Long.MAX_VALUE) {
                    deadline = now + blockTimeoutNanos;
                } else if (now - deadline >= 0) {
                    throw fullException("stayed at " + maxPending + " pending timers for "
                            + TimeUnit.NANOSECONDS.toMillis(blockTimeoutNanos) + " ms (overflow policy block-timeout)");
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                throw fullException("has " + maxPending + " pending timers, and the scheduling thread was "
                        + "interrupted while it waited");
            }
            if (idle == null) {
                idle = FullRingBackoff.get();
            }
            idle.idle();
        }
        scheduled.increment();
        enqueue(task);
        return task;
    }

    /**
     * Hands a command (a new, rescheduled or cancelled task) to the agent. Never loses one: if the agent has begun
     * its final drain, the task is cancelled here (the future's first completion wins, so a task the agent also
     * saw is counted once).
     */
    void enqueue(TimerTask task) {
        IdleStrategy idle = null;
        while (!commands.offer(task)) {
            if (draining) {
                break;
            }
            if (idle == null) {
                idle = FullRingBackoff.get();
            }
            idle.idle();
        }
        // after the offer: the agent re-checks the queue after it publishes "parked", so an awake agent (one volatile
        // read here) will drain it; only a parked one needs a decision
        if (parker != null && parker.parked()) {
            if (commands.size() > wakeAtCommands || pending.get() >= wakeAtPending || state != RUNNING) {
                // bound what piles up while it sleeps (only it frees the queue and the pending count); after a
                // shutdown a cancel may be what termination waits for
                parker.wake();
            } else if (!task.isDone()) {
                parker.wakeBy(task.deadline); // a cancel needs nobody in time; a timer, only before the agent's wake
            }
        }
        if (draining) {
            cancelAtClose(task);
        }
    }

    /** After a change the agent's duty cycle reads: wakes the agent if it is parked (else one volatile read). */
    private void wake() {
        if (parker != null) {
            parker.wake();
        }
    }

    /** @return duty cycles the timer agent has run (package-private: tests count the idle agent's wake-ups) */
    long dutyCycles() {
        return cycles.get();
    }

    /** @return times the idle timer agent parked (0 with an explicit idle strategy) */
    long parks() {
        return parker == null ? 0 : parker.parks();
    }

    /** @return times a thread unparked the timer agent (0 with an explicit idle strategy) */
    long unparks() {
        return parker == null ? 0 : parker.unparks();
    }

    /**
     * After a periodic run (on an executor worker): schedules the next run, or, once the timer is shut down,
     * cancels the task so its future completes.
     */
    void reschedule(TimerTask task) {
        if (state == RUNNING) {
            enqueue(task);
        } else {
            cancelAtClose(task);
            enqueue(task); // lets the agent retire it, if it still runs
        }
    }

    /** @return true while new runs may start (a periodic task checks before each run) */
    boolean running() {
        return state == RUNNING;
    }

    /** A fired task finished on the executor (ran, or found itself cancelled). */
    void finished() {
        if (inFlight.decrementAndGet() <= 0 && state != RUNNING) {
            wake(); // the agent may now count down termination
        }
    }

    void onTaskFailed(TimerTask task, Throwable t) {
        failed.increment();
        LOG.warn("Timer task {} threw; a periodic task is not run again", task, t);
    }

    private void cancelAtClose(TimerTask t) {
        if (t.completeExceptionally(new CancellationException("timer '" + name + "' shut down before it fired"))) {
            cancelledAtClose.incrementAndGet();
        }
    }

    private RingFullException fullException(String why) {
        rejections.rejected(rejected.increment() + 1);
        return new RingFullException(name, maxPending, "timer '" + name + "' (capacity " + maxPending + " pending) "
                + why);
    }

    private RingClosedException closedException() {
        rejections.rejected(rejected.increment() + 1);
        return new RingClosedException(name, maxPending, "timer '" + name + "' (capacity " + maxPending
                + " pending) is shut down");
    }

    // ---- the agent (timer thread only)

    private final class TimerAgent implements Agent, DeadlineTimerWheel.TimerHandler, TimerIdle.Duty {
        /** Up to this many pending timers, an idle agent finds the earliest deadline by scanning them. */
        private static final int SCAN_LIMIT = 256;
        private final DeadlineTimerWheel wheel;
        private final long tickNanos;
        private final Long2ObjectHashMap<TimerTask> byId = new Long2ObjectHashMap<>();
        /** Expired tasks the executor had no room for, oldest deadline first. */
        private final ArrayDeque<TimerTask> handOff = new ArrayDeque<>();
        private final Housekeeping housekeeping;
        private boolean periodicCancelled;
        private boolean collecting;
        /** The state the last duty cycle saw: a change wakes the agent. */
        private int seenState = RUNNING;
        /**
         * While {@link #boundKnown}: no pending timer's deadline is earlier (exact after a scan; lowered by each
         * timer scheduled, left by each removed). Lets the wheel skip the ticks before it and the agent sleep till it.
         */
        private long lowerBound;
        private boolean boundKnown;

        TimerAgent(long tickNanos, int ticksPerWheel, Housekeeping housekeeping) {
            this.wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, System.nanoTime(), tickNanos, ticksPerWheel);
            this.tickNanos = tickNanos;
            this.housekeeping = housekeeping;
        }

        @Override
        public int doWork() {
            if (stopAgent) {
                throw new AgentTerminationException(false);
            }
            cycles.lazySet(cycles.get() + 1);
            int s = state;
            seenState = s;
            int work = commands.drain(this::apply, 4096);
            if (s == SHUTDOWN_NOW && cancelledAll.getCount() != 0) {
                collecting = true; // every command offered before the shutdown goes on the list cancelAll returns
                while (commands.drain(this::apply) > 0) {
                    // until the queue is empty
                }
                collecting = false;
                cancelAll(false); // first: the periodic ones are returned with the rest
            }
            if (s != RUNNING && !periodicCancelled) {
                cancelPeriodic();
            }
            work += dispatchHandOff();
            long now = System.nanoTime();
            windWheel(now);
            int expired = handOff.isEmpty() ? wheel.poll(now, this, 4096) : 0;
            if (expired > largestBatch) {
                largestBatch = expired;
            }
            work += expired + housekeeping.applyAsInt(now);
            if (terminationDue(s)) {
                terminated.countDown(); // every delayed task has fired and run; the thread stays for housekeeping
            }
            // user code on this thread (a stall listener) may leave the flag set; AgentRunner would stop on it
            Thread.interrupted();
            return work;
        }

        private boolean terminationDue(int s) {
            return s != RUNNING && pending.get() <= 0 && commands.isEmpty() && handOff.isEmpty()
                    && inFlight.get() <= 0 && terminated.getCount() != 0;
        }

        /**
         * The wheel advances one tick per poll; after a sleep it would walk the missed ticks one duty cycle each.
         * Moves it straight to {@code now}, or to the earliest deadline if that is earlier (no timer is skipped).
         */
        private void windWheel(long now) {
            if (wheel.timerCount() == 0) {
                wheel.currentTickTime(now);
            } else if (boundKnown) {
                wheel.currentTickTime(now - lowerBound < 0 ? now : lowerBound);
            }
        }

        @Override
        public long sleepNanos(long now) {
            if (!handOff.isEmpty()) {
                return TimerIdle.BACK_OFF; // offered again soon: the executor was full
            }
            long p = pending.get(); // schedules and cancels while it sleeps may use half the room left, then wake it
            long room = Math.max(0, maxPending - p);
            wakeAtPending = p + (room + 1) / 2;
            wakeAtCommands = (int) Math.min(maxQueuedWhileParked, room / 2);
            long sleep = housekeeping.nanosUntilDue(now);
            if (wheel.timerCount() > 0) {
                sleep = Math.min(sleep, untilNextTimer(now));
            }
            return sleep;
        }

        /** @return nanoseconds until the earliest timer, or until the wheel's next tick if that is not known */
        private long untilNextTimer(long now) {
            if (!boundKnown || now - lowerBound >= 0) {
                boundKnown = byId.size() <= SCAN_LIMIT && scanEarliest();
            }
            if (boundKnown) {
                return lowerBound - now;
            }
            return Math.min(wheel.currentTickTime() - now, tickNanos); // tick by tick, as the wheel advances
        }

        /** @return true, with {@link #lowerBound} the earliest pending deadline (no allocation: cached iterator) */
        private boolean scanEarliest() {
            boolean any = false;
            long min = 0;
            for (TimerTask t : byId.values()) {
                long d = t.deadline;
                if (!any || d - min < 0) {
                    min = d;
                    any = true;
                }
            }
            lowerBound = min;
            return any;
        }

        @Override
        public boolean hasWork() {
            int s = state;
            return stopAgent || s != seenState || !commands.isEmpty() || terminationDue(s);
        }

        private void apply(TimerTask t) {
            if (t.retired) {
                return;
            }
            if (t.isDone()) {
                if (t.timerId != DeadlineTimerWheel.NULL_DEADLINE) {
                    wheel.cancelTimer(t.timerId);
                    byId.remove(t.timerId);
                    t.timerId = DeadlineTimerWheel.NULL_DEADLINE;
                }
                retire(t);
            } else if (!collecting && (cancelledAll.getCount() == 0 || (t.periodic() && state == SHUTDOWN))) {
                // arrived after the shutdown that refuses it: shutdown() refuses periodic ones; shutdownNow() takes
                // everything onto the list it returns, and refuses what comes after
                cancelAtClose(t);
                retire(t);
            } else if (t.timerId == DeadlineTimerWheel.NULL_DEADLINE) {
                long d = t.deadline;
                if (wheel.timerCount() == 0) {
                    lowerBound = d;
                    boundKnown = true;
                } else if (boundKnown && d - lowerBound < 0) {
                    lowerBound = d;
                }
                t.timerId = wheel.scheduleTimer(d);
                byId.put(t.timerId, t);
            }
        }

        private void cancelPeriodic() {
            periodicCancelled = true;
            List<TimerTask> periodic = new ArrayList<>();
            for (TimerTask t : byId.values()) {
                if (t.periodic()) {
                    periodic.add(t);
                }
            }
            for (TimerTask t : periodic) {
                wheel.cancelTimer(t.timerId);
                byId.remove(t.timerId);
                t.timerId = DeadlineTimerWheel.NULL_DEADLINE;
                cancelAtClose(t);
                retire(t);
            }
        }

        private void retire(TimerTask t) {
            if (!t.retired) {
                t.retired = true;
                pending.decrementAndGet();
            }
        }

        @Override
        public boolean onTimerExpiry(TimeUnit timeUnit, long now, long timerId) {
            TimerTask t = byId.remove(timerId);
            if (t != null) {
                t.timerId = DeadlineTimerWheel.NULL_DEADLINE;
                if (handOff.isEmpty()) {
                    offer(t);
                } else {
                    handOff.addLast(t);
                }
            }
            return true;
        }

        /** @return tasks handed to the executor from the hand-off list */
        private int dispatchHandOff() {
            int n = 0;
            TimerTask t;
            while ((t = handOff.peekFirst()) != null) {
                handOff.pollFirst();
                if (!offer(t)) {
                    break;
                }
                n++;
            }
            return n;
        }

        /** @return false if the executor was full: the task went back to the head of the hand-off list */
        private boolean offer(TimerTask t) {
            if (t.isDone()) { // cancelled while it waited for a slot
                retire(t);
                return true;
            }
            // counted before the executor may run it: whoever sees its future complete sees it counted
            fired.incrementRelease();
            inFlight.incrementAndGet();
            OfferResult r = dispatch.offer(t);
            if (r != OfferResult.ACCEPTED) {
                fired.decrementRelease();
                inFlight.decrementAndGet();
            }
            if (r == OfferResult.FULL) {
                handOff.addFirst(t);
                return false;
            }
            if (!t.periodic()) {
                retire(t);
            }
            if (r != OfferResult.ACCEPTED) {
                t.completeExceptionally(new RingClosedException(name, maxPending, "timer '" + name
                        + "' could not run " + t + ": the executor is shut down"));
                if (t.periodic()) {
                    retire(t);
                }
            }
            return true;
        }

        /**
         * Takes every pending timer off the wheel and publishes them as not run: for {@link #shutdownNow()} they go
         * to the caller as they are (as {@code ScheduledThreadPoolExecutor} returns its queue), for the runtime's
         * close ({@code cancel}) their futures are cancelled.
         */
        private void cancelAll(boolean cancel) {
            List<TimerTask> left = new ArrayList<>(byId.values());
            left.addAll(handOff);
            for (TimerTask task : byId.values()) {
                wheel.cancelTimer(task.timerId);
                task.timerId = DeadlineTimerWheel.NULL_DEADLINE;
            }
            byId.clear();
            handOff.clear();
            List<Runnable> notRun = new ArrayList<>(notRunAtClose);
            for (TimerTask task : left) {
                if (!task.isDone()) {
                    notRun.add(task);
                }
                if (cancel) {
                    cancelAtClose(task);
                }
                retire(task);
            }
            notRunAtClose = List.copyOf(notRun);
            cancelledAll.countDown();
        }

        @Override
        public void onClose() {
            draining = true;
            collecting = true;
            TimerTask t;
            while ((t = commands.poll()) != null) {
                apply(t);
            }
            cancelAll(true);
            terminated.countDown();
            agentEnded.countDown();
        }

        @Override
        public String roleName() {
            String thread = threadName;
            return thread != null ? thread : name;
        }
    }

    // ---- lifecycle

    /**
     * The runtime's close: stops the timer thread within {@code deadline}. Pending timers are cancelled (their
     * futures fail with {@link CancellationException}) and counted as not run; tasks already handed to the executor
     * are the executor's to drain. If the timer thread is still busy at the deadline (a stall listener that does not
     * return), it is interrupted and the report says the shutdown did not complete.
     *
     * @param deadline how long to wait for the timer thread to stop
     * @return the report
     */
    public ShutdownReport stop(Duration deadline) {
        long start = System.nanoTime();
        if (state == RUNNING) {
            state = SHUTDOWN_NOW;
        }
        stopAgent = true;
        wake();
        boolean stopped = await(agentEnded, Threads.endAfter(Threads.nanos(deadline)));
        if (stopped) {
            runner.close(); // the thread has ended: returns at once
        } else {
            Thread t = runner.thread();
            if (t != null) {
                t.interrupt();
            }
            LOG.warn("Timer '{}' thread did not stop within {} ms; interrupted it. {} timer(s) pending", name,
                    deadline.toMillis(), pending.get());
        }
        long notRun = stopped ? cancelledAtClose.get() : Math.max(cancelledAtClose.get(), pending.get());
        return new ShutdownReport(name, stopped && notRun == 0, notRun, Duration.ofNanos(System.nanoTime() - start));
    }

    private static boolean await(CountDownLatch latch, long end) {
        try {
            return latch.await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * As {@link java.util.concurrent.ScheduledThreadPoolExecutor} by default: refuses new tasks, cancels periodic
     * ones, lets delayed one-shot tasks fire at their time. Terminated once they have fired and run. The timer
     * thread itself keeps running the runtime's housekeeping (the watchdog) until the runtime closes.
     */
    @Override
    public void shutdown() {
        if (state == RUNNING) {
            state = SHUTDOWN;
        }
        wake();
    }

    /**
     * Takes every pending timer off the wheel and returns them, as {@code ScheduledThreadPoolExecutor} does: not
     * cancelled, so the caller may run them (a periodic one, run after the shutdown, cancels itself). Waits up to a
     * second for the timer thread to hand them over. Runs already handed to the executor are not interrupted.
     *
     * @return the tasks that were pending
     */
    @Override
    public List<Runnable> shutdownNow() {
        state = SHUTDOWN_NOW;
        wake();
        if (runner.thread() != null) {
            await(cancelledAll, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        }
        return notRunAtClose;
    }

    @Override
    public boolean isShutdown() {
        return state != RUNNING;
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    // ---- stats

    @Override
    public String name() {
        return name;
    }

    @Override
    public int capacity() {
        return maxPending;
    }

    @Override
    public long published() {
        return scheduled.get();
    }

    @Override
    public long completed() {
        return fired.get();
    }

    @Override
    public long rejected() {
        return rejected.get();
    }

    @Override
    public long failed() {
        return failed.get();
    }

    @Override
    public long remainingCapacity() {
        return maxPending - pending.get();
    }

    @Override
    public long largestBatch() {
        return largestBatch;
    }
}
