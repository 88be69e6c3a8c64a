package io.vela.engine.event.internal;

import io.vela.engine.OfferResult;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingExecutor;
import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import io.vela.engine.counters.CounterFactory;
import io.vela.engine.VelaConfig;
import io.vela.engine.WaitStrategy;
import io.vela.engine.event.DeadEventHandler;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.EventBusException;
import io.vela.engine.event.SubscriptionBuilder;
import io.vela.engine.event.Topic;
import io.vela.engine.event.TopicOptions;
import io.vela.engine.event.TopicStats;
import io.vela.engine.internal.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus: the default topic (object events, dispatched by type) plus named preallocated topics, each a
 * {@link TopicRing}. Every method may be called from any thread; {@link #publish(Object)} and
 * {@link #tryPublish(Object)} allocate nothing.
 *
 * <p>Shutdown: the first call closes and drains, and always publishes a report (even if it fails or is
 * interrupted); a later call waits for that report only until its own deadline, then halts the bus itself. Every call
 * returns by its deadline: waiting for the drain ends {@link #haltGraceNanos} early, and halting interrupts the
 * consumer threads and waits for them only until the deadline.
 */
public final class EventBusImpl implements EventBus {
    static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    static final String DEFAULT_TOPIC = "default";

    final int ringSize;
    final OverflowPolicy overflow;
    final long blockTimeoutNanos;
    final WaitStrategy waitStrategy;
    final int consumerThreads;
    final int maxInFlight;
    final Executor executor;
    /** The executor as a ring executor (offered to without waiting), or null for another executor. */
    private final RingExecutor ringExecutor;
    final ThreadFactory threadFactory;
    /** Where topics and subscriptions get their counters. */
    final CounterFactory counters;
    final String prefix;
    private final long deadlineMs;
    private volatile TopicRing defaultTopic;
    private final Map<String, TopicImpl<?>> topics = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile DeadEventHandler deadHandler;
    private volatile boolean closed;
    private volatile ShutdownReport report;
    /**
     * A handler began the close but no thread could be started to finish it: the next shutdown from another thread
     * takes the closer's work over (guarded by {@code lock}).
     */
    private boolean closerMissing;

    /**
     * @param config        configuration ({@code events.*}, {@code thread-name-prefix}, {@code shutdown.deadline-ms})
     * @param executor      runs offloaded handlers
     * @param threadFactory makes the consumer threads
     * @param cores         processors to plan spinning threads for
     */
    public EventBusImpl(VelaConfig config, Executor executor, ThreadFactory threadFactory, int cores) {
        this(config, executor, threadFactory, cores, CounterFactory.heap());
    }

    /**
     * @param config        configuration ({@code events.*}, {@code thread-name-prefix}, {@code shutdown.deadline-ms})
     * @param executor      runs offloaded handlers
     * @param threadFactory makes the consumer threads
     * @param cores         processors to plan spinning threads for
     * @param counters      where topics and subscriptions keep their running totals (a runtime's counters file)
     */
    public EventBusImpl(VelaConfig config, Executor executor, ThreadFactory threadFactory, int cores,
            CounterFactory counters) {
        this.counters = Objects.requireNonNull(counters, "counters");
        this.ringSize = config.get(Settings.EVENTS_RING_SIZE);
        this.overflow = config.get(Settings.EVENTS_OVERFLOW);
        if (overflow == OverflowPolicy.CALLER_RUNS) {
            throw new EventBusException("events.overflow = caller-runs is not valid for the event bus");
        }
        this.blockTimeoutNanos = Duration.ofMillis(config.get(Settings.EVENTS_BLOCK_TIMEOUT_MS)).toNanos();
        this.consumerThreads = config.get(Settings.EVENTS_CONSUMER_THREADS);
        this.waitStrategy = config.get(Settings.EVENTS_WAIT_STRATEGY).resolve(WaitStrategy.spinBudget(cores),
                consumerThreads);
        this.maxInFlight = config.get(Settings.EVENTS_ASYNC_MAX_IN_FLIGHT);
        this.executor = executor;
        this.ringExecutor = executor instanceof RingExecutor r ? r : null;
        this.threadFactory = threadFactory;
        this.prefix = config.get(Settings.THREAD_NAME_PREFIX);
        this.deadlineMs = config.get(Settings.SHUTDOWN_DEADLINE_MS);
        LOG.debug("Event bus started: rings of {} slots, {} consumer thread(s) per topic waiting {}, overflow {}",
                ringSize, consumerThreads, waitStrategy.configName(), overflow.configName());
    }

    @Override
    public void publish(Object event) {
        TopicRing t = defaultTopic;
        if (t == null && (t = defaultTopicIfOpen()) == null) {
            throw TopicRing.closedException(DEFAULT_TOPIC, ringSize);
        }
        t.publishObject(Objects.requireNonNull(event, "event"));
    }

    @Override
    public OfferResult tryPublish(Object event) {
        Objects.requireNonNull(event, "event");
        TopicRing t = defaultTopic;
        if (t == null && (t = defaultTopicIfOpen()) == null) {
            return OfferResult.CLOSED; // also when close() won the race for the lock: an answer, never a throw
        }
        return t.tryPublishObject(event);
    }

    /**
     * Hands a task to the executor without waiting: {@code tryExecute} on a {@link RingExecutor}, else
     * {@code execute} (which should not wait). Called by consumer threads and the JDK's delay thread.
     *
     * @return true if accepted
     */
    boolean offer(Runnable task) {
        if (ringExecutor != null) {
            return ringExecutor.tryExecute(task) == OfferResult.ACCEPTED;
        }
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * The default topic is made on first use, so that a bus used only with preallocated topics has no thread for it.
     *
     * @return the default topic, or null if the bus closed before it was made (each caller refuses in its own way)
     */
    private TopicRing defaultTopicIfOpen() {
        synchronized (lock) {
            if (defaultTopic == null && !closed) {
                defaultTopic = new TopicRing(this, DEFAULT_TOPIC, true, ObjectSlot::new, null, false);
            }
            return defaultTopic;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <E> Topic<E> topic(String name, TopicOptions<E> options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        if (name.isBlank() || name.equals(DEFAULT_TOPIC) || name.chars().anyMatch(Character::isWhitespace)) {
            throw new EventBusException("topic name '" + name + "' is invalid: non-empty, no spaces, not '"
                    + DEFAULT_TOPIC + "'");
        }
        synchronized (lock) {
            if (closed) {
                throw new EventBusException("event bus is closed; cannot declare topic '" + name + "'");
            }
            TopicImpl<?> t = topics.get(name);
            if (t == null) {
                t = new TopicImpl<E>(this, new TopicRing(this, name, false, options.factory(),
                        options.copier().orElse(null), options.isSinglePublisher()));
                topics.put(name, t);
            }
            return (Topic<E>) t;
        }
    }

    @Override
    public <E> SubscriptionBuilder<E> subscriber(Class<E> type) {
        Objects.requireNonNull(type, "type");
        TopicRing t = defaultTopicIfOpen();
        if (t == null) {
            throw new EventBusException("event bus is closed; cannot subscribe to topic 'default'");
        }
        return new SubscriptionBuilderImpl<>(t, type, maxInFlight);
    }

    @Override
    public <E> SubscriptionBuilder<E> subscriber(Topic<E> topic) {
        if (!(topic instanceof TopicImpl<?> t) || t.bus != this) {
            throw new EventBusException("topic " + topic + " does not belong to this bus");
        }
        return new SubscriptionBuilderImpl<>(t.ring, null, maxInFlight);
    }

    @Override
    public void onDeadEvent(DeadEventHandler handler) {
        this.deadHandler = Objects.requireNonNull(handler, "handler");
    }

    void deadEvent(String topic, Object event) {
        DeadEventHandler h = deadHandler;
        if (h != null) {
            try {
                h.onDeadEvent(topic, event);
            } catch (Throwable t) {
                Subscriber.logSafely("Dead-event handler threw on topic '" + topic + "'", t);
            }
            Thread.interrupted(); // on a consumer thread, like a handler: the flag it restored goes no further
        }
    }

    @Override
    public List<TopicStats> stats() {
        List<TopicStats> all = new ArrayList<>();
        TopicRing d = defaultTopic;
        if (d != null) {
            all.add(d);
        }
        for (TopicImpl<?> t : topics.values()) {
            all.add(t.ring);
        }
        return List.copyOf(all);
    }

    /**
     * For the counters sampler and the metrics binder: every active subscription with its topic. Any thread;
     * allocates nothing but what {@code topics.values()} iterates with.
     *
     * @param each called with each topic's counters and each of its subscriptions' counters
     */
    public void forEachSubscription(java.util.function.BiConsumer<? super io.vela.engine.event.TopicStats,
            ? super io.vela.engine.event.SubscriberStats> each) {
        TopicRing d = defaultTopic;
        if (d != null) {
            d.forEachSubscription(each);
        }
        for (TopicImpl<?> t : topics.values()) {
            t.ring.forEachSubscription(each);
        }
    }

    @Override
    public ShutdownReport shutdown(Duration deadline) {
        long start = System.nanoTime();
        long end = Threads.endAfter(Threads.nanos(deadline)); // saturated: Duration.ofMillis(Long.MAX_VALUE) works
        List<TopicRing> rings = new ArrayList<>();
        boolean first;
        synchronized (lock) {
            first = !closed;
            closed = true;
            if (defaultTopic != null) {
                rings.add(defaultTopic);
            }
            topics.values().forEach(t -> rings.add(t.ring));
        }
        if (deliversOnCallingThread(rings)) {
            return closeFromHandler(rings, first, start, end);
        }
        if (!first) {
            return awaitReport(rings, start, end);
        }
        return closeAndReport(rings, start, end);
    }

    /**
     * @return true if the calling thread delivers this bus's events: a consumer thread, or one running an offloaded
     *         or async delivery (so a shutdown it calls cannot wait for the drain). Any thread; slow path (the
     *         runtime's shutdown asks it once)
     */
    public boolean deliversOnCallingThread() {
        List<TopicRing> rings = new ArrayList<>();
        synchronized (lock) {
            if (defaultTopic != null) {
                rings.add(defaultTopic);
            }
            topics.values().forEach(t -> rings.add(t.ring));
        }
        return deliversOnCallingThread(rings);
    }

    /** @return true if the calling thread delivers events of one of {@code rings} (a handler calls shutdown) */
    private static boolean deliversOnCallingThread(List<TopicRing> rings) {
        for (TopicRing r : rings) {
            if (r.deliversOnCallingThread()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A shutdown called on a thread that delivers this bus's events (from a handler): waiting for the deliveries
     * would wait for the calling thread itself, which cannot go on until the call returns. So the close begins here
     * (publishes are refused from now on; every consumer drains what was accepted once its running handler returns)
     * and a thread of the bus's factory waits for it with the same deadline, exactly as a call from another thread
     * would, and publishes the final report to later calls. This call returns at once (ADR 0004, "Shutdown from a
     * handler").
     *
     * @return the final report if there is one already; otherwise an interim one: not completed, {@code notRun} =
     *         the deliveries still pending now (lag and in-flight entries of the lossless subscriptions, an upper
     *         bound), which go on after this call returns
     */
    private ShutdownReport closeFromHandler(List<TopicRing> rings, boolean first, long start, long end) {
        if (first) {
            for (TopicRing r : rings) {
                r.beginClose();
            }
            try {
                Threads.start(threadFactory, prefix + "-events-close", () -> {
                    ShutdownReport r = closeAndReport(rings, start, end);
                    if (!r.completed()) { // the handler's close() could only log the interim report: this is the one
                        LOG.warn("Event bus shutdown (begun from a handler): {}", r);
                    }
                });
            } catch (Throwable t) {
                Subscriber.logSafely("Event bus: shutdown called from a handler could not start a thread to wait "
                        + "for the drain; consumers still drain, and a later shutdown call finishes the close", t);
                synchronized (lock) { // a later call from another thread does the closer's work (awaitReport)
                    closerMissing = true;
                    lock.notifyAll();
                }
            }
            LOG.debug("Event bus shutdown called from its own delivering thread {}: closing in the background",
                    Thread.currentThread().getName());
        }
        ShutdownReport done = report;
        if (done != null) {
            return done;
        }
        long[] pending = new long[1];
        for (TopicRing r : rings) {
            r.forEachSubscription((topic, s) -> {
                if (s instanceof Subscriber sub && !sub.lossy()) {
                    pending[0] += sub.lag() + sub.inFlight();
                }
            });
        }
        return new ShutdownReport("events", false, pending[0], Duration.ofNanos(System.nanoTime() - start));
    }

    /** The first shutdown call's work: close, drain or halt, and publish the report to later calls. */
    private ShutdownReport closeAndReport(List<TopicRing> rings, long start, long end) {
        ShutdownReport r = null;
        try {
            r = closeAndDrain(rings, start, end);
        } finally {
            if (r == null) { // something threw: halt, so that no consumer outlives the call, and report
                r = new ShutdownReport("events", false, haltAll(rings, Math.min(end, System.nanoTime())),
                        Duration.ofNanos(System.nanoTime() - start));
            }
            synchronized (lock) {
                report = r;
                lock.notifyAll();
            }
        }
        return r;
    }

    /** @return how much of a deadline {@code haltGraceNanos} is kept for halting: a quarter, at most 50 ms */
    private static long haltGraceNanos(long deadlineNanos) {
        return Math.min(deadlineNanos / 4, Duration.ofMillis(50).toNanos());
    }

    /**
     * @return until when a halt waits for the consumers to stop: the deadline, but no more than 100 ms (a handler
     *         that ignores its interrupt will not stop however long we wait, and the count does not need it to)
     */
    private static long haltJoinEnd(long end) {
        return Math.min(end, System.nanoTime() + Duration.ofMillis(100).toNanos());
    }

    private ShutdownReport closeAndDrain(List<TopicRing> rings, long start, long end) {
        long drainEnd = end - haltGraceNanos(end - start);
        long notDelivered = 0;
        boolean drained = true;
        boolean interrupted = false;
        for (TopicRing r : rings) {
            r.beginClose();
        }
        try {
            for (TopicRing r : rings) {
                drained &= r.awaitDrained(drainEnd);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            drained = false;
        }
        if (!drained) {
            // interrupted: halt at once; otherwise wait for the consumers until the deadline
            notDelivered = haltAll(rings, interrupted ? System.nanoTime() : haltJoinEnd(end));
        }
        interrupted |= finishAll(rings, interrupted ? System.nanoTime() : end);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return new ShutdownReport("events", drained && notDelivered == 0, notDelivered,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Halts every topic; returns the undelivered count. Keeps the caller's interrupt flag. */
    private static long haltAll(List<TopicRing> rings, long joinEnd) {
        long notDelivered = 0;
        boolean interrupted = false;
        for (TopicRing r : rings) {
            try {
                notDelivered += r.halt(interrupted ? System.nanoTime() : joinEnd);
            } catch (InterruptedException e) {
                interrupted = true;
                try {
                    notDelivered += r.halt(System.nanoTime());
                } catch (InterruptedException impossible) {
                    // no wait left to interrupt
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return notDelivered;
    }

    /**
     * Ends every topic's subscriptions. Their {@code terminated} futures are completed on another thread (one task
     * for all): completing runs the user's dependent stages, which must not hold the closing thread past its deadline.
     *
     * @return true if interrupted (the topics are finished all the same)
     */
    private boolean finishAll(List<TopicRing> rings, long joinEnd) {
        boolean interrupted = false;
        List<CompletableFuture<Void>> terminated = new ArrayList<>();
        for (TopicRing r : rings) {
            try {
                r.finish(interrupted ? System.nanoTime() : joinEnd, terminated);
            } catch (InterruptedException e) {
                interrupted = true;
                try {
                    r.finish(System.nanoTime(), terminated);
                } catch (InterruptedException impossible) {
                    // no wait left to interrupt
                }
            }
        }
        if (!terminated.isEmpty()) {
            startOrRun(() -> terminated.forEach(f -> f.complete(null)));
        }
        return interrupted;
    }

    /**
     * Completes a subscription's {@code terminated} future away from the calling consumer thread: completing runs the
     * user's dependent stages, which may block or never return, and must not hold that consumer's other
     * subscriptions. On a ring executor (the runtime's) when it accepts the task at once: it runs what it accepted
     * when it closes after the bus, and its workers run user code anyway; if it is halted before running it, its sweep
     * has the future completed on a thread of its own ({@link CompleteTerminated}). Otherwise on a thread of its own,
     * as the shutdown does: any other executor's owner may drop queued tasks ({@code shutdownNow}) once the bus has
     * closed.
     */
    void completeElsewhere(CompletableFuture<Void> terminated) {
        Runnable complete = new CompleteTerminated(terminated);
        if (ringExecutor == null || ringExecutor.tryExecute(complete) != OfferResult.ACCEPTED) {
            startOrRun(complete);
        }
    }

    /**
     * Completes a {@code terminated()} future on the executor; if the executor is halted before running it
     * ({@code shutdownNow}, or its shutdown's deadline), its sweep calls {@link #notRun()}: the future completes on a
     * thread of the bus's factory instead, never left waiting.
     */
    private final class CompleteTerminated implements io.vela.engine.internal.MustComplete {
        private final CompletableFuture<Void> terminated;

        CompleteTerminated(CompletableFuture<Void> terminated) {
            this.terminated = terminated;
        }

        @Override
        public void run() {
            terminated.complete(null);
        }

        @Override
        public void notRun() {
            startOrRun(this); // completing runs the user's stages: not on the executor's closing thread
        }
    }

    /**
     * @return true if {@code t} is a consumer thread of one of this bus's topics (slow path: once per subscription
     *         finished)
     */
    boolean isConsumerThread(Thread t) {
        TopicRing d = defaultTopic;
        if (d != null && d.isConsumerThread(t)) {
            return true;
        }
        for (TopicImpl<?> topic : topics.values()) {
            if (topic.ring.isConsumerThread(t)) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code complete} on a new thread from the bus's factory; if the factory fails, here rather than never. */
    private void startOrRun(Runnable complete) {
        try {
            Threads.start(threadFactory, prefix + "-events-terminated", complete);
        } catch (Throwable t) {
            Subscriber.logSafely("Event bus: could not start a thread to complete terminated() stages", t);
            complete.run();
        }
    }

    /**
     * A later shutdown call: the first one's report, waited for until this call's own deadline (less the halt grace);
     * past it, or when interrupted, this call halts the bus itself and reports what it found undelivered. If the
     * first call came from a handler and no thread could be started to finish its close, this call finishes it.
     */
    private ShutdownReport awaitReport(List<TopicRing> rings, long start, long end) {
        long waitEnd = end - haltGraceNanos(end - start);
        boolean interrupted = false;
        boolean takeOver = false;
        synchronized (lock) {
            while (report == null) {
                if (closerMissing) { // the close a handler began has no thread to finish it: this call does
                    closerMissing = false;
                    takeOver = true;
                    break;
                }
                long left = waitEnd - System.nanoTime();
                if (left <= 0 || interrupted) {
                    break;
                }
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (report != null) {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return report;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (takeOver) { // as the first call would (interrupted: it halts at once)
            return closeAndReport(rings, start, end);
        }
        long notDelivered = haltAll(rings, interrupted ? System.nanoTime() : haltJoinEnd(end));
        return new ShutdownReport("events", false, notDelivered, Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public void close() {
        ShutdownReport r = shutdown(Duration.ofMillis(deadlineMs));
        if (r.completed()) {
            return;
        }
        if (r != report) { // the interim report of a close from a handler: the deliveries go on, nothing is lost yet
            LOG.debug("Event bus closing in the background (close called from a handler): {} deliveries pending",
                    r.notRun());
        } else {
            LOG.warn("Event bus shutdown: {}", r);
        }
    }
}
