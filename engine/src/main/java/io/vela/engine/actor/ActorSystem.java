package io.vela.engine.actor;

import io.vela.engine.RingClosedException;
import io.vela.engine.RingExecutor;
import io.vela.engine.ShutdownReport;
import io.vela.engine.counters.CounterFactory;
import io.vela.engine.internal.FullRingBackoff;
import io.vela.engine.internal.Threads;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed actors on the runtime's ring workers: {@code runtime.actors()}. Root actors live under {@code /user}.
 *
 * <pre>{@code
 * ActorRef<String> greeter = runtime.actors().spawn(Behaviors.receiveMessage(name -> {
 *     log.info("hello {}", name);
 *     return Behaviors.same();
 * }), "greeter");
 * greeter.tell("Ada");
 * }</pre>
 *
 * Threads: every method may be called from any thread. {@link #shutdown(Duration)} is called by the runtime's
 * {@code close()}, before the timer and the executor stop. Spawning allocates the actor (its mailbox array is
 * preallocated at its full capacity).
 */
public final class ActorSystem {
    private static final Logger LOG = LoggerFactory.getLogger(ActorSystem.class);
    private static final ActorPath USER = ActorPath.root("user");
    private static final ActorPath TEMP = ActorPath.root("temp");

    private final RingExecutor executor;
    private final ScheduledExecutorService timer;
    private final ThreadFactory threads;
    private final String threadPrefix;
    private final BooleanSupplier onRingWorker;
    private final Dispatcher dispatcher;
    private final DeadLetters deadLetters;
    private final ActorStatsView stats = new ActorStatsView();
    private final ConcurrentHashMap<String, ActorCell<?>> roots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ActorPath, ActorCell<?>> live = new ConcurrentHashMap<>();
    private final List<AgentRunner> pinned = new CopyOnWriteArrayList<>();
    /** Asks in flight, so that a shutdown (which stops the timer) can fail those no actor will answer now. */
    /** Asks not yet answered, failed at shutdown; the text naming each is built only then, not per ask. */
    private final ConcurrentHashMap<CompletableFuture<?>, PendingAsk> asks = new ConcurrentHashMap<>();
    private final AtomicLong tempIds = new AtomicLong();
    private final AtomicLong leftInMailboxes = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean stopping;

    private ActorSystem(RingExecutor executor, ScheduledExecutorService timer, ThreadFactory threads,
            String threadPrefix, BooleanSupplier onRingWorker, CounterFactory counters) {
        this.deadLetters = new DeadLetters(counters);
        this.executor = executor;
        this.timer = timer;
        this.threads = threads;
        this.threadPrefix = threadPrefix;
        this.onRingWorker = onRingWorker;
        this.dispatcher = new Dispatcher(executor, timer);
        this.stats.attach(this);
    }

    /**
     * Used by {@code VelaRuntime.actors()}; applications get their system from there.
     *
     * @param executor     runs the actors' turns
     * @param timer        the timer wheel (asks, actor timers, back-off)
     * @param threads      makes the threads of pinned actors
     * @param threadPrefix names them ({@code prefix-actor/user/name})
     * @param onRingWorker true when the calling thread is a worker of {@code executor}
     * @return a new actor system
     */
    public static ActorSystem create(RingExecutor executor, ScheduledExecutorService timer, ThreadFactory threads,
            String threadPrefix, BooleanSupplier onRingWorker) {
        return create(executor, timer, threads, threadPrefix, onRingWorker, CounterFactory.heap());
    }

    /**
     * Used by {@code VelaRuntime.actors()}: as {@link #create(RingExecutor, ScheduledExecutorService, ThreadFactory,
     * String, BooleanSupplier)}, with the system's counters (dead letters, late replies) in {@code counters}.
     *
     * @param executor     runs the actors' turns
     * @param timer        the timer wheel (asks, actor timers, back-off)
     * @param threads      makes the threads of pinned actors
     * @param threadPrefix names them ({@code prefix-actor/user/name})
     * @param onRingWorker true when the calling thread is a worker of {@code executor}
     * @param counters     where the system's counters live (the runtime's counters file)
     * @return a new actor system
     */
    public static ActorSystem create(RingExecutor executor, ScheduledExecutorService timer, ThreadFactory threads,
            String threadPrefix, BooleanSupplier onRingWorker, CounterFactory counters) {
        return new ActorSystem(Objects.requireNonNull(executor, "executor"), Objects.requireNonNull(timer, "timer"),
                Objects.requireNonNull(threads, "threads"), Objects.requireNonNull(threadPrefix, "threadPrefix"),
                Objects.requireNonNull(onRingWorker, "onRingWorker"), Objects.requireNonNull(counters, "counters"));
    }

    /**
     * @param behavior the actor's behaviour
     * @param name     unique among live root actors
     * @param <M>      its message type
     * @return its ref ({@code /user/name}); it starts on its first turn
     * @throws InvalidActorNameException if the name is malformed or taken
     * @throws RingClosedException       if the system is shut down
     */
    public <M> ActorRef<M> spawn(Behavior<M> behavior, String name) {
        return spawn(behavior, name, ActorOptions.defaults());
    }

    /**
     * @param behavior the actor's behaviour
     * @param name     unique among live root actors
     * @param options  mailbox, overflow, throughput, pinning
     * @param <M>      its message type
     * @return its ref
     * @throws InvalidActorNameException if the name is malformed or taken
     * @throws RingClosedException       if the system is shut down
     */
    public <M> ActorRef<M> spawn(Behavior<M> behavior, String name, ActorOptions options) {
        ActorPath path = USER.child(name);
        if (closed) {
            throw new RingClosedException("actors", 0, "the actor system is shut down; cannot spawn " + path);
        }
        ActorCell<M> cell = newCell(path, null, behavior, options);
        if (roots.putIfAbsent(name, cell) != null) {
            throw new InvalidActorNameException("actor name '" + name + "' is already taken under " + USER);
        }
        start(cell);
        if (closed) {
            cell.requestStop(); // raced with shutdown, which may have missed it
        }
        return cell;
    }

    /**
     * Stops an actor (its children first). Asynchronous; watch it to learn when it has stopped.
     *
     * @param ref the actor
     */
    public void stop(ActorRef<?> ref) {
        if (ref instanceof ActorCell<?> c && c.system == this) {
            c.requestStop();
        }
    }

    /** @return the dead letters: counts and an observer hook */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /** @return the counters of this system's actors (also in {@code runtime.stats().actors()}) */
    public ActorSystemStats stats() {
        return stats;
    }

    /** @return live actors */
    public int actorCount() {
        return live.size();
    }

    /**
     * @param path an actor's path
     * @return its counters, if it is alive
     */
    public Optional<ActorStats> find(ActorPath path) {
        return Optional.ofNullable(live.get(path));
    }

    /** @param each called with every live actor's counters */
    public void forEachActor(Consumer<? super ActorStats> each) {
        live.values().forEach(each);
    }

    /** @return how often an actor's turn found the executor ring full and waited for a slot */
    public long deferredTurns() {
        return dispatcher.deferred();
    }

    /** @return true once {@link #shutdown(Duration)} has begun */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops every actor, children first: first lets the mailboxes drain (at most half the deadline), then stops the
     * root actors and waits for all to stop; joins the pinned actors' threads. Messages still in mailboxes go to
     * the dead letters and are counted as not run.
     *
     * @param deadline how long to take at most
     * @return what was left: {@code notRun} = messages left in mailboxes
     */
    public ShutdownReport shutdown(Duration deadline) {
        long start = System.nanoTime();
        long total = Threads.nanos(deadline);
        long end = Threads.endAfter(total);
        closed = true;
        IdleStrategy idle = FullRingBackoff.create();
        long drainEnd = start + total / 2;
        while (System.nanoTime() - drainEnd < 0 && !quiescent()) {
            idle.idle();
        }
        stopping = true;
        idle.reset();
        do { // at least once, even with a zero deadline
            for (ActorCell<?> root : roots.values()) {
                root.requestStop(); // idempotent; repeated for roots spawned while closing
            }
            if (live.isEmpty()) {
                break;
            }
            idle.idle();
        } while (System.nanoTime() - end < 0);
        boolean joined = true;
        for (AgentRunner r : pinned) {
            try {
                joined &= Threads.joinUntil(r.thread(), end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                joined = false;
            }
            if (r.thread() != null && r.thread().isAlive()) {
                r.thread().interrupt();
            }
        }
        failPendingAsks();
        long left = leftInMailboxes.get();
        for (ActorCell<?> c : live.values()) {
            left += c.depth();
        }
        boolean done = live.isEmpty() && joined && left == 0;
        ShutdownReport report = new ShutdownReport("actors", done, left, Duration.ofNanos(System.nanoTime() - start));
        if (!live.isEmpty()) {
            LOG.warn("Actor shutdown: {} actor(s) did not stop by the deadline, e.g. {}", live.size(),
                    live.keySet().iterator().next());
        }
        return report;
    }

    private void failPendingAsks() {
        asks.forEach((reply, what) -> reply.completeExceptionally(new RingClosedException("actors", 0,
                "the actor system shut down before the ask of " + what.target() + " with a "
                        + what.requestType().getName() + " was answered")));
        asks.clear();
    }

    /** What an unanswered ask was: named in the error if the system shuts down first. */
    private record PendingAsk(ActorPath target, Class<?> requestType) {
    }

    void asking(CompletableFuture<?> reply, ActorPath target, Object request) {
        if (closed && live.isEmpty()) { // raced with the end of a shutdown: nobody will answer
            reply.completeExceptionally(new RingClosedException("actors", 0, "the actor system is shut down; "
                    + "the ask of " + target + " cannot be answered"));
            return;
        }
        asks.put(reply, new PendingAsk(target, request.getClass()));
        reply.whenComplete((r, e) -> asks.remove(reply));
    }

    private boolean quiescent() {
        for (ActorCell<?> c : live.values()) {
            if (!c.quiescent()) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ package-private plumbing

    <M> ActorCell<M> newCell(ActorPath path, ActorCell<?> parent, Behavior<M> behavior, ActorOptions options) {
        Objects.requireNonNull(behavior, "behavior");
        Objects.requireNonNull(options, "options");
        requireSupported(behavior);
        return new ActorCell<>(this, path, parent, behavior, options);
    }

    private static void requireSupported(Behavior<?> b) {
        if (b instanceof Behaviors.Supervised<?> s) {
            requireSupported(s.behavior());
        } else if (!(b instanceof AbstractBehavior || b instanceof Behaviors.Receive || b instanceof Behaviors.Setup)) {
            throw new IllegalArgumentException("cannot spawn behaviour " + b + "; valid: Behaviors.receive, "
                    + "receiveMessage, setup, ignore, supervise, or an AbstractBehavior");
        }
    }

    <M> void start(ActorCell<M> cell) {
        live.put(cell.path, cell);
        if (cell.pinnedWait != null) {
            AgentRunner runner = new AgentRunner(cell.pinnedWait.newIdleStrategy(), this::pinnedError, null,
                    new PinnedAgent(cell, cell.throughput));
            pinned.removeIf(r -> r.thread() != null && !r.thread().isAlive()); // threads of stopped actors
            try {
                Threads.start(threads, threadPrefix + "-actor" + cell.path, runner);
            } catch (RuntimeException | Error e) { // no thread: stop it on the ring workers, before it ever starts
                cell.requestStop();
                cell.pinnedLoopEnded();
                throw e;
            }
            pinned.add(runner);
        }
        cell.system(Lifecycle.CREATE);
    }

    private void pinnedError(Throwable t) {
        if (!(t instanceof AgentTerminationException)) {
            LOG.error("Pinned actor thread failed", t);
        }
    }

    void unregister(ActorCell<?> cell) {
        live.remove(cell.path, cell);
        if (cell.parent == null) {
            roots.remove(cell.path.name(), cell);
        }
    }

    void deadLetter(ActorPath recipient, Object message, String reason) {
        deadLetters.publish(recipient, message, reason);
    }

    void leftInMailbox(ActorPath recipient, Object message) {
        if (stopping) {
            leftInMailboxes.incrementAndGet();
            deadLetters.publish(recipient, message, "left-in-mailbox");
        } else {
            deadLetters.publish(recipient, message, "stopped");
        }
    }

    ActorPath nextTempPath() {
        return TEMP.child("ask-" + tempIds.incrementAndGet());
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    boolean onRingWorker() {
        return onRingWorker.getAsBoolean();
    }
}
