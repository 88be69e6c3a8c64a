package io.vela.engine.internal;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingFullException;
import io.vela.engine.RingStats;
import io.vela.engine.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
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
 * <p>The agent also runs the runtime's housekeeping (the watchdog) once per duty cycle.
 */
public final class TimerService extends AbstractExecutorService implements ScheduledExecutorService, RingStats {
    private static final Logger LOG = LoggerFactory.getLogger(TimerService.class);

    private final String name;
    private final Executor dispatch;
    private final int maxPending;
    private final OverflowPolicy policy;
    private final long blockTimeoutNanos;
    private final ManyToOneConcurrentArrayQueue<TimerTask> commands;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong fired = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long largestBatch;
    private final TimerAgent agent;
    private final AgentRunner runner;
    private volatile boolean closed;
    private volatile long cancelledAtClose;

    /**
     * @param name              thread and stats name
     * @param dispatch          where expired tasks run
     * @param tickNanos         wheel tick (a power of two)
     * @param ticksPerWheel     wheel slots (a power of two)
     * @param maxPending        bound on pending timers
     * @param policy            what schedule does at the bound (not caller-runs)
     * @param blockTimeout      how long block-timeout waits
     * @param idle              the agent's idle strategy
     * @param housekeeping      called once per duty cycle on the timer thread with {@code System.nanoTime()};
     *                          returns work done
     */
    public TimerService(String name, Executor dispatch, long tickNanos, int ticksPerWheel, int maxPending,
            OverflowPolicy policy, Duration blockTimeout, IdleStrategy idle,
            java.util.function.LongToIntFunction housekeeping) {
        this.name = name;
        this.dispatch = dispatch;
        this.maxPending = maxPending;
        this.policy = policy;
        this.blockTimeoutNanos = blockTimeout.toNanos();
        // room for every pending timer plus its cancel and reschedule commands
        this.commands = new ManyToOneConcurrentArrayQueue<>(Math.max(64, Math.min(1 << 26, maxPending * 2)));
        this.agent = new TimerAgent(tickNanos, ticksPerWheel, housekeeping);
        this.runner = new AgentRunner(idle, t -> LOG.error("Timer agent '{}' error", name, t), null, agent);
    }

    /**
     * @param factory    makes the agent thread
     * @param threadName its name
     * @return this
     */
    public TimerService start(ThreadFactory factory, String threadName) {
        AgentRunner.startOnThread(runner, r -> {
            Thread t = factory.newThread(r);
            t.setName(threadName);
            return t;
        });
        return this;
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
        return admit(new TimerTask(this, command, null, deadline(initialDelay, unit), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be > 0, was " + delay);
        }
        return admit(new TimerTask(this, command, null, deadline(initialDelay, unit), -unit.toNanos(delay)));
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        if (closed) {
            throw reject("is shut down");
        }
        dispatch.execute(command);
    }

    private static long deadline(long delay, TimeUnit unit) {
        return System.nanoTime() + Math.max(0, unit.toNanos(delay));
    }

    private TimerTask admit(TimerTask task) {
        long deadline = Long.MAX_VALUE;
        for (int attempt = 0; ; attempt++) {
            if (closed) {
                throw reject("is shut down");
            }
            long p = pending.get();
            if (p < maxPending) {
                if (pending.compareAndSet(p, p + 1)) {
                    break;
                }
                continue;
            }
            if (policy == OverflowPolicy.FAIL_FAST) {
                throw reject("has " + maxPending + " pending timers (overflow policy fail-fast)");
            }
            if (policy == OverflowPolicy.BLOCK_TIMEOUT) {
                long now = System.nanoTime();
                if (deadline == Long.MAX_VALUE) {
                    deadline = now + blockTimeoutNanos;
                } else if (now - deadline >= 0) {
                    throw reject("stayed at " + maxPending + " pending timers for "
                            + TimeUnit.NANOSECONDS.toMillis(blockTimeoutNanos) + " ms (overflow policy block-timeout)");
                }
            }
            Backoff.pause(attempt);
        }
        scheduled.incrementAndGet();
        enqueue(task);
        if (closed) {
            // raced with close: the agent may already have drained its queue
            task.cancel(false);
        }
        return task;
    }

    void enqueue(TimerTask task) {
        for (int attempt = 0; !commands.offer(task); attempt++) {
            if (closed && runner.isClosed()) {
                task.completeExceptionally(new CancellationException("timer '" + name + "' is shut down"));
                return;
            }
            Backoff.pause(attempt);
        }
    }

    void onTaskFailed(TimerTask task, Throwable t) {
        failed.incrementAndGet();
        LOG.warn("Timer task {} threw; a periodic task is not run again", task, t);
    }

    private RingFullException reject(String why) {
        rejected.incrementAndGet();
        return new RingFullException(name, maxPending, "timer '" + name + "' (capacity " + maxPending + " pending) "
                + why);
    }

    // ---- the agent (timer thread only)

    private final class TimerAgent implements Agent, DeadlineTimerWheel.TimerHandler {
        private final DeadlineTimerWheel wheel;
        private final Long2ObjectHashMap<TimerTask> byId = new Long2ObjectHashMap<>();
        private final java.util.function.LongToIntFunction housekeeping;

        TimerAgent(long tickNanos, int ticksPerWheel, java.util.function.LongToIntFunction housekeeping) {
            this.wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, System.nanoTime(), tickNanos, ticksPerWheel);
            this.housekeeping = housekeeping;
        }

        @Override
        public int doWork() {
            int work = commands.drain(this::apply, 4096);
            long now = System.nanoTime();
            int expired = wheel.poll(now, this, 4096);
            if (expired > largestBatch) {
                largestBatch = expired;
            }
            return work + expired + housekeeping.applyAsInt(now);
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
            } else if (t.timerId == DeadlineTimerWheel.NULL_DEADLINE) {
                t.timerId = wheel.scheduleTimer(t.deadline);
                byId.put(t.timerId, t);
            }
        }

        private void retire(TimerTask t) {
            t.retired = true;
            pending.decrementAndGet();
        }

        @Override
        public boolean onTimerExpiry(TimeUnit timeUnit, long now, long timerId) {
            TimerTask t = byId.remove(timerId);
            if (t == null) {
                return true;
            }
            t.timerId = DeadlineTimerWheel.NULL_DEADLINE;
            if (!t.periodic()) {
                retire(t);
            }
            fired.incrementAndGet();
            try {
                dispatch.execute(t);
            } catch (RuntimeException e) {
                t.completeExceptionally(e);
                if (t.periodic()) {
                    retire(t);
                }
                LOG.warn("Timer '{}' could not dispatch {}: {}", name, t, e.toString());
            }
            return true;
        }

        @Override
        public void onClose() {
            long n = 0;
            TimerTask t;
            while ((t = commands.poll()) != null) {
                apply(t);
            }
            CancellationException why = new CancellationException("timer '" + name + "' shut down before it fired");
            for (TimerTask left : new ArrayList<>(byId.values())) {
                if (left.completeExceptionally(why)) {
                    n++;
                }
            }
            byId.clear();
            cancelledAtClose = n;
        }

        @Override
        public String roleName() {
            return name;
        }
    }

    // ---- lifecycle

    /**
     * Stops the timer: pending timers are cancelled (their futures fail with {@link CancellationException}) and
     * counted as not run; tasks already handed to the executor are the executor's to drain.
     *
     * @return the report
     */
    public ShutdownReport shutdownNowReport() {
        long start = System.nanoTime();
        closed = true;
        runner.close();
        long notRun = cancelledAtClose;
        return new ShutdownReport(name, notRun == 0, notRun, Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public void shutdown() {
        shutdownNowReport();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdownNowReport();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return closed;
    }

    @Override
    public boolean isTerminated() {
        return closed && runner.isClosed();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
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
