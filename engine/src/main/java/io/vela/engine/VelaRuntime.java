package io.vela.engine;

import io.vela.engine.actor.ActorStatsView;
import io.vela.engine.actor.ActorSystem;
import io.vela.engine.channel.ChannelRegistry;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.EventBusException;
import io.vela.engine.event.internal.EventBusImpl;
import io.vela.engine.counters.VelaCounters;
import io.vela.engine.internal.BlockingPool;
import io.vela.engine.internal.CountersSampler;
import io.vela.engine.internal.JvmFlags;
import io.vela.engine.internal.RingExecutorImpl;
import io.vela.engine.internal.StandIns;
import io.vela.engine.internal.Threads;
import io.vela.engine.internal.TimerIdle;
import io.vela.engine.internal.TimerService;
import io.vela.engine.internal.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vela's entry point: owns the ring executor, the timer and the blocking-work pool, and their threads; the event
 * bus ({@link #events()}) and the actors ({@link #actors()}) start on first use.
 *
 * <pre>{@code
 * try (VelaRuntime vela = VelaRuntime.start(VelaConfig.load())) {
 *     vela.executor().execute(() -> handle(order));                 // on a ring worker
 *     vela.executor().executeKeyed(order.accountId(), () -> book(order)); // in order per account
 *     vela.scheduler().schedule(this::expire, 5, TimeUnit.SECONDS);   // on the timer wheel
 *     vela.blocking(() -> jdbc.query(sql));                           // never on a ring worker
 * }
 * }</pre>
 *
 * {@link #close()} stops accepting, runs what was accepted within {@code shutdown.deadline-ms}, and reports what
 * was not run. Every method may be called from any thread.
 */
public final class VelaRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VelaRuntime.class);

    private final VelaConfig config;
    private final RingExecutorImpl executor;
    private final TimerService timers;
    private final BlockingPool blocking;
    private final RuntimeStats stats;
    private final ChannelRegistry channels;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile List<ShutdownReport> shutdownReports = List.of();
    /** Reports as each part finishes its shutdown; a concurrent second caller may read them. */
    private final List<ShutdownReport> reportsSoFar = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CompletableFuture<List<ShutdownReport>> shutdownDone = new CompletableFuture<>();
    private final ThreadFactory threadFactory;
    private final int cores;
    private volatile EventBus events;
    private volatile ActorSystem actors;
    private final ActorStatsView actorStats = new ActorStatsView();
    private final List<ShutdownParticipant> participants = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<ComponentStats> components = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final VelaCounters counters;
    private final CountersSampler sampler;

    private VelaRuntime(Builder b) {
        JvmFlags.requireAgronaAccess();
        this.config = b.config;
        this.threadFactory = b.threadFactory;
        this.cores = b.cores;
        String prefix = config.get(Settings.THREAD_NAME_PREFIX);
        int cores = b.cores;
        int workers = config.get(Settings.EXECUTOR_WORKERS);
        WaitStrategy execWait = config.get(Settings.EXECUTOR_WAIT_STRATEGY)
                .resolve(WaitStrategy.spinBudget(cores), workers);
        WaitStrategy timerWait = config.get(Settings.TIMER_IDLE_STRATEGY);
        // auto: the idle timer thread parks until its next timer or watchdog sample, or a signal (ADR 0018)
        boolean timerParks = timerWait == WaitStrategy.AUTO;
        timerWait = timerParks ? WaitStrategy.BACKOFF : timerWait;
        warnIfOverSpinning(cores, workers, execWait, timerWait);
        Duration blockTimeout = Duration.ofMillis(config.get(Settings.EXECUTOR_BLOCK_TIMEOUT_MS));

        this.counters = openCounters(config);
        this.channels = new ChannelRegistry(b.cores, io.vela.engine.counters.CounterFactory.of(counters));
        this.executor = new RingExecutorImpl("executor", workers, config.get(Settings.EXECUTOR_RING_SIZE),
                config.get(Settings.EXECUTOR_LANE_SIZE), execWait, config.get(Settings.EXECUTOR_OVERFLOW), blockTimeout,
                b.errorHandler, counters);
        long stallMs = config.get(Settings.WATCHDOG_STALL_MS);
        this.blocking = new BlockingPool("blocking", config.get(Settings.BLOCKING_MAX_THREADS),
                config.get(Settings.BLOCKING_BACKLOG), Duration.ofMillis(config.get(Settings.BLOCKING_KEEP_ALIVE_MS)),
                b.threadFactory, prefix, io.vela.engine.counters.CounterFactory.of(counters));
        // the stall listener is user code: it runs on the blocking pool, never on the timer thread
        Watchdog watchdog = new Watchdog(executor, Duration.ofMillis(stallMs),
                Duration.ofMillis(config.get(Settings.WATCHDOG_GRACE_MS)), b.stallListener, blocking.executor());
        this.timers = new TimerService("timer", executor, config.get(Settings.TIMER_TICK_NS),
                config.get(Settings.TIMER_TICKS_PER_WHEEL), config.get(Settings.TIMER_MAX_PENDING),
                config.get(Settings.TIMER_OVERFLOW), blockTimeout,
                timerParks ? new TimerIdle() : timerWait.newIdleStrategy(),
                TimerService.Housekeeping.both(watchdog,
                        new StandIns(executor, Duration.ofMillis(config.get(Settings.EXECUTOR_STAND_IN_MS)))),
                counters);
        this.stats = new RuntimeStats(executor, timers, channels.stats(), actorStats,
                java.util.Collections.unmodifiableList(components));
        this.sampler = new CountersSampler(counters, stats, blocking, () -> events,
                Duration.ofMillis(config.get(Settings.COUNTERS_SAMPLE_MS)));
        boolean timerStarted = false;
        try {
            executor.start(b.threadFactory, prefix);
            timers.start(b.threadFactory, prefix + "-timer");
            timerStarted = true;
            sampler.start(b.threadFactory, prefix + "-counters");
        } catch (Throwable t) { // the thread factory failed part-way: stop what did start, leak no thread
            executor.shutdownNow();
            if (timerStarted) {
                timers.stop(Duration.ofSeconds(1));
            }
            blocking.shutdown(Duration.ZERO);
            counters.close();
            throw t;
        }
        LOG.info("Vela started: {} executor worker(s) waiting {}, ring {} slots, timer idling {}", workers,
                execWait.configName(), config.get(Settings.EXECUTOR_RING_SIZE),
                timerParks ? "auto (parks until due)" : timerWait.configName());
    }

    /** The counters file (or, when it is off or cannot be made, a buffer of the process with the same layout). */
    private static VelaCounters openCounters(VelaConfig config) {
        int capacity = config.get(Settings.COUNTERS_CAPACITY);
        long reuseMs = config.get(Settings.COUNTERS_REUSE_MS);
        if (!config.get(Settings.COUNTERS_FILE)) {
            return VelaCounters.inProcess(capacity, reuseMs);
        }
        try {
            return VelaCounters.mapped(java.nio.file.Paths.get(config.get(Settings.COUNTERS_DIR)), capacity, reuseMs);
        } catch (VelaException | java.nio.file.InvalidPathException e) {
            LOG.warn("Counters kept in the process (vela-stat cannot see it): {}", e.getMessage());
            return VelaCounters.inProcess(capacity, reuseMs);
        }
    }

    private static void warnIfOverSpinning(int cores, int workers, WaitStrategy exec, WaitStrategy timer) {
        List<String> spinners = new ArrayList<>();
        if (exec.spinning()) {
            spinners.add("executor:" + workers);
        }
        if (timer.spinning()) {
            spinners.add("timer:1");
        }
        spinWarning(cores, spinners).ifPresent(LOG::warn);
    }

    /**
     * @param cores    available processors
     * @param spinners one {@code name:threads} entry per ring or agent whose wait strategy spins
     * @return a warning naming them when their threads outnumber the cores
     */
    static java.util.Optional<String> spinWarning(int cores, List<String> spinners) {
        int threads = 0;
        for (String s : spinners) {
            threads += Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
        }
        if (threads <= cores) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(threads + " spinning threads on " + cores + " cores (" + String.join(", ",
                spinners) + "). Spinning threads beyond the cores measure the OS scheduler, not Vela; choose a "
                + "non-spinning wait strategy for some of these rings.");
    }

    /**
     * @param config the configuration
     * @return a started runtime with the default thread factory and handlers
     * @throws MissingJvmFlagException when a JVM flag Vela needs is missing
     */
    public static VelaRuntime start(VelaConfig config) {
        return builder().config(config).start();
    }

    /** @return a builder for a runtime with custom thread factory and handlers */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the effective configuration */
    public VelaConfig config() {
        return config;
    }

    /** @return the ring executor */
    public RingExecutor executor() {
        return executor;
    }

    /** @return the timer, as a scheduled executor; expired tasks run on the ring executor */
    public ScheduledExecutorService scheduler() {
        return timers;
    }

    /**
     * Runs a blocking call on the blocking-work pool, never on a ring worker.
     *
     * @param call the call
     * @param <T>  its result type
     * @return its result
     * @throws RingFullException when the pool and its backlog are full
     */
    public <T> CompletableFuture<T> blocking(Callable<T> call) {
        return blocking.submit(Objects.requireNonNull(call, "call"));
    }

    /** @return the blocking-work pool as an executor service */
    public ExecutorService blockingExecutor() {
        return blocking.executor();
    }

    /**
     * @return the event bus, started on the first call (consumer threads {@code prefix-events-topic-i}); offloaded
     *         handlers run on {@link #executor()}; closed by {@link #close()} before the executor
     * @throws EventBusException when the runtime is closed
     */
    public EventBus events() {
        EventBus e = events;
        if (e == null) {
            synchronized (closed) {
                e = events;
                if (e == null) {
                    if (closed.get()) {
                        throw new EventBusException("the runtime is closed; no event bus");
                    }
                    e = new EventBusImpl(config, executor, threadFactory, cores,
                            io.vela.engine.counters.CounterFactory.of(counters));
                    events = e;
                }
            }
        }
        return e;
    }

    /**
     * @return the channels this runtime knows: built from here, they are counted in {@link #stats()} and closed by
     *         {@link #close()} (receivers may still drain them)
     */
    public ChannelRegistry channels() {
        return channels;
    }

    /**
     * @return the actor system, created on the first call; actors' turns run on {@link #executor()}, their timers
     *         on {@link #scheduler()}; stopped by {@link #close()} before both
     * @throws RingClosedException when the runtime is closed
     */
    public ActorSystem actors() {
        ActorSystem a = actors;
        if (a == null) {
            synchronized (closed) {
                a = actors;
                if (a == null) {
                    if (closed.get()) {
                        throw new RingClosedException("actors", 0, "the runtime is closed; no actor system");
                    }
                    a = ActorSystem.create(executor, timers, threadFactory, config.get(Settings.THREAD_NAME_PREFIX),
                            executor::isWorkerThread, io.vela.engine.counters.CounterFactory.of(counters));
                    actorStats.attach(a);
                    actors = a;
                }
            }
        }
        return a;
    }

    /**
     * Has {@link #close()} stop {@code participant} first, before the engine's own parts, with up to half of the
     * shutdown deadline.
     *
     * @param participant e.g. an HTTP server
     * @return removes the registration (call it when the participant closes on its own)
     * @throws RingClosedException when the runtime is closed or closing
     */
    public ShutdownParticipant.Registration addShutdownParticipant(ShutdownParticipant participant) {
        Objects.requireNonNull(participant, "participant");
        synchronized (closed) {
            if (closed.get()) {
                throw new RingClosedException("runtime", 0, "the runtime is closed; no new shutdown participant");
            }
            participants.add(participant);
        }
        return () -> participants.remove(participant);
    }

    /**
     * Carries {@code component}'s counters in {@link #stats()} ({@link RuntimeStats#components()}).
     *
     * @param component e.g. an HTTP server's counters
     * @return removes them again
     */
    public ShutdownParticipant.Registration registerStats(ComponentStats component) {
        components.add(Objects.requireNonNull(component, "component"));
        return () -> components.remove(component);
    }

    /** @return live counters, readable without locks or allocation */
    public RuntimeStats stats() {
        return stats;
    }

    /**
     * @return where the counters live: {@link VelaCounters#file()} is the file {@code vela-stat} reads (empty when
     *         {@code counters.file} is false)
     */
    public VelaCounters counters() {
        return counters;
    }

    /**
     * Stops accepting, runs everything already accepted, stops the threads; gives up after {@code deadline},
     * interrupting what still runs, and reports what was not run. Pending timers are cancelled and counted as not
     * run. Idempotent: a later call waits (within its own deadline) for the first to finish and returns its
     * reports, or, if it has not finished by then, the reports of the parts that have. Called on a thread the
     * shutdown would wait for — one of the executor's own workers (a task, an offloaded event handler, an actor), a
     * thread of the blocking pool, or a thread delivering the event bus's events (an inline handler) — it cannot wait: the runtime is marked closed
     * here, the shutdown runs on a thread of its own and this call returns at once with the reports finished so far
     * (none, unless a shutdown was already under way); a later call from another thread waits for the final ones.
     *
     * @param deadline how long to wait in total
     * @return one report per ring or pool
     */
    public List<ShutdownReport> shutdown(Duration deadline) {
        if (executor.isWorkerThread() || blocking.isPoolThread() || deliversEvents()) {
            return shutdownElsewhere(deadline);
        }
        return closed.compareAndSet(false, true) ? runShutdown(deadline) : awaitFirstShutdown(deadline);
    }

    /** @return true if the calling thread delivers the event bus's events (slow path: once per shutdown call) */
    private boolean deliversEvents() {
        EventBus bus;
        synchronized (closed) {
            bus = events;
        }
        return bus instanceof EventBusImpl impl && impl.deliversOnCallingThread();
    }

    /**
     * A shutdown called on a thread it would wait for (an executor worker, a blocking call, a bus handler): marks the runtime closed
     * here, so that what a closed runtime refuses is refused as soon as this call returns, and runs the shutdown on a
     * thread of its own ({@code <prefix>-close}, same deadline); returns at once with the reports finished so far. A
     * later call from another thread waits for the final ones, which {@link #shutdownReports()} also gives once done
     * (ADR 0004, "Shutdown from a handler").
     */
    private List<ShutdownReport> shutdownElsewhere(Duration deadline) {
        if (closed.compareAndSet(false, true)) {
            try {
                Threads.start(threadFactory, config.get(Settings.THREAD_NAME_PREFIX) + "-close",
                        () -> runShutdown(deadline));
            } catch (Throwable t) { // no thread: here after all (the executor's deadline and halt end the wait)
                LOG.warn("Vela shutdown called on a thread it waits for could not start a thread of its own", t);
                return runShutdown(deadline);
            }
        }
        return List.copyOf(reportsSoFar);
    }

    /** The first shutdown call's work, once it has set {@code closed}. */
    private List<ShutdownReport> runShutdown(Duration deadline) {
        try {
            long total = Threads.nanos(deadline);
            long end = Threads.endAfter(total);
            stopParticipants(total / 2);
            channels.closeAll(); // no threads of their own: refuse sends, wake waiters, let receivers drain (first:
            // an actor blocked on a channel wakes up)
            ActorSystem actorSystem;
            synchronized (closed) {
                actorSystem = actors;
            }
            if (actorSystem != null) { // first: actors use the timer and the executor until they have stopped
                reportsSoFar.add(actorSystem.shutdown(Duration.ofNanos(total / 2)));
            }
            // the timer thread normally stops within one duty cycle; it may not take the executor's drain time
            reportsSoFar.add(timers.stop(Duration.ofNanos(Math.min(total / 4, TimeUnit.SECONDS.toNanos(1)))));
            EventBus bus;
            synchronized (closed) {
                bus = events;
            }
            if (bus != null) {
                reportsSoFar.add(bus.shutdown(remaining(end))); // before the executor: offloaded handlers run there
            }
            reportsSoFar.add(executor.shutdown(remaining(end)));
            reportsSoFar.add(blocking.shutdown(remaining(end)));
            for (ShutdownReport r : reportsSoFar) {
                io.vela.engine.internal.jfr.JfrEvents.shutdown(r);
                if (!r.completed()) {
                    LOG.warn("Vela shutdown: {}", r);
                }
            }
        } finally {
            sampler.stop(100);
            counters.close();
            shutdownReports = List.copyOf(reportsSoFar);
            shutdownDone.complete(shutdownReports);
        }
        return shutdownReports;
    }

    /** Stops the registered participants, newest first, within {@code budgetNanos} in total. */
    private void stopParticipants(long budgetNanos) {
        List<ShutdownParticipant> stopping;
        synchronized (closed) { // closed is set: no registration can slip in after this copy
            stopping = new ArrayList<>(participants);
        }
        long end = Threads.endAfter(budgetNanos);
        for (int i = stopping.size() - 1; i >= 0; i--) {
            try {
                reportsSoFar.add(stopping.get(i).shutdown(remaining(end)));
            } catch (RuntimeException e) {
                LOG.warn("Shutdown participant {} threw", stopping.get(i), e);
            }
        }
    }

    /** A later caller waits for the first shutdown within its own deadline; then returns what is known. */
    private List<ShutdownReport> awaitFirstShutdown(Duration deadline) {
        try {
            return shutdownDone.get(Threads.nanos(deadline), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // fall through: the reports of the parts that have finished so far
        }
        return List.copyOf(reportsSoFar);
    }

    private static Duration remaining(long end) {
        return Duration.ofNanos(Math.max(0, end - System.nanoTime()));
    }

    /** @return the reports of the shutdown, or an empty list while running */
    public List<ShutdownReport> shutdownReports() {
        return shutdownReports;
    }

    /** Shuts down within {@code shutdown.deadline-ms}; what was not run is logged and in {@link #shutdownReports()}. */
    @Override
    public void close() {
        shutdown(Duration.ofMillis(config.get(Settings.SHUTDOWN_DEADLINE_MS)));
    }

    /** Builds a {@link VelaRuntime}. */
    public static final class Builder {
        private VelaConfig config = VelaConfig.defaults();
        private ThreadFactory threadFactory = r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };
        private TaskErrorHandler errorHandler = (ring, task, error) ->
                LOG.warn("Task {} on ring '{}' threw", task, ring, error);
        private StallListener stallListener = Watchdog.LOG_WARNING;
        private int cores = Runtime.getRuntime().availableProcessors();

        private Builder() {
        }

        /**
         * @param config the configuration
         * @return this
         */
        public Builder config(VelaConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param factory makes every thread Vela starts; Vela names them after their ring or pool
         * @return this
         */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * @param handler receives what executor tasks throw (default: an SLF4J warning)
         * @return this
         */
        public Builder errorHandler(TaskErrorHandler handler) {
            this.errorHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * @param listener told when a worker is stuck on one task (default: an SLF4J warning with its stack)
         * @return this
         */
        public Builder stallListener(StallListener listener) {
            this.stallListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param cores processors to plan spinning threads for (default: {@code availableProcessors()})
         * @return this
         */
        public Builder cores(int cores) {
            if (cores < 1) {
                throw new VelaConfigException(List.of("cores = " + cores + " is invalid; valid: an integer >= 1"));
            }
            this.cores = cores;
            return this;
        }

        /**
         * @return the started runtime
         * @throws MissingJvmFlagException when a JVM flag Vela needs is missing
         */
        public VelaRuntime start() {
            return new VelaRuntime(this);
        }
    }
}
