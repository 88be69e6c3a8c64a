package io.vela.engine.actor;

import io.vela.engine.OfferResult;
import io.vela.engine.RingFullException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import com.lmax.disruptor.Sequence;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;

/**
 * One actor: its ref, its mailbox, its turn and its lifecycle. The cell is its own turn ({@link #run()}), so
 * scheduling it allocates nothing.
 *
 * <p>Threads: {@link #tell}, {@link #tryTell}, {@link #ask}, the stats getters and {@link #requestStop()} from any
 * thread. Everything else runs on the actor's turn, which the idle-to-scheduled CAS on {@link #state} (or the pinned
 * thread, until its loop has ended: {@link #pinnedLoopEnded()}) makes exclusive: never two threads at once, and each
 * turn happens-after the previous one.
 * Allocation: a tell of a preallocated message allocates nothing; lifecycle events (system messages) allocate a
 * queue node each.
 */
final class ActorCell<M> implements ActorRef<M>, ActorStats, Runnable {
    static final int IDLE = 0;
    static final int SCHEDULED = 1;
    static final int ALIVE = 0;
    static final int STOPPING = 1;
    static final int STOPPED = 2;
    private static final VarHandle STATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(ActorCell.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ActorSystem system;
    final ActorPath path;
    final ActorCell<?> parent;
    final Mailbox<M> mailbox;
    final boolean pinned;
    /** The pinned thread's wait strategy, or {@code null} when multiplexed on the ring workers. */
    final io.vela.engine.WaitStrategy pinnedWait;
    final int throughput;
    private final long blockTimeoutNanos;
    private final ManyToOneConcurrentLinkedQueue<Object> sys = new ManyToOneConcurrentLinkedQueue<>();
    private final Lifecycle<M> life;
    private final BooleanSupplier notStopped = () -> lifeState() != STOPPED;

    private volatile int state;
    private volatile boolean stopRequested;
    /** Pinned only: the pinned loop has ended; from then on ring-worker turns (through {@link #state}) take over. */
    private volatile boolean pinnedLoopEnded;
    /** Single writer (the turn); a padded Disruptor {@link Sequence}, so senders reading {@link #state} do not miss. */
    private final Sequence processed = new Sequence(0);
    /** Link in the dispatcher's pending stack; published by that stack's CAS. */
    ActorCell<?> nextPending;
    /** The thread running a turn now (plain: only compared with the current thread). */
    Thread runningOn;

    ActorCell(ActorSystem system, ActorPath path, ActorCell<?> parent, Behavior<M> initial, ActorOptions options) {
        this.system = system;
        this.path = path;
        this.parent = parent;
        this.mailbox = new Mailbox<>(options.mailboxCapacity(), options.overflow());
        this.pinnedWait = options.pinned().orElse(null);
        this.pinned = pinnedWait != null;
        this.throughput = options.throughput();
        this.blockTimeoutNanos = options.blockTimeout().toNanos();
        this.life = new Lifecycle<>(this, initial);
    }

    // ---------------------------------------------------------------- sending (any thread)

    @Override
    public ActorPath path() {
        return path;
    }

    @Override
    public void tell(M message) {
        Objects.requireNonNull(message, "message");
        if (lifeState() == STOPPED) {
            system.deadLetter(path, message, "stopped");
            return;
        }
        int r = mailbox.offer(message);
        if (r == Mailbox.FULL) {
            if (mailbox.overflow() != MailboxOverflow.BLOCK) {
                throw full("is full (overflow fail)");
            }
            offerBlocking(message);
        }
        schedule();
    }

    @Override
    public OfferResult tryTell(M message) {
        Objects.requireNonNull(message, "message");
        if (lifeState() == STOPPED) {
            system.deadLetter(path, message, "stopped");
            return OfferResult.CLOSED;
        }
        if (mailbox.offer(message) != Mailbox.ACCEPTED) {
            return OfferResult.FULL;
        }
        schedule();
        return OfferResult.ACCEPTED;
    }

    private void offerBlocking(M message) {
        if (runningOn == Thread.currentThread() || system.onRingWorker()) {
            throw full("is full (overflow block); the caller is a ring worker or the actor's own thread, which "
                    + "never waits for a mailbox (it could deadlock the actor it waits for)");
        }
        if (!mailbox.offerWaiting(message, System.nanoTime() + blockTimeoutNanos, notStopped)) {
            if (lifeState() == STOPPED) {
                system.deadLetter(path, message, "stopped");
                return;
            }
            throw full("stayed full for " + TimeUnit.NANOSECONDS.toMillis(blockTimeoutNanos)
                    + " ms (overflow block)" + (Thread.currentThread().isInterrupted() ? "; the wait was interrupted"
                    : ""));
        }
    }

    private RingFullException full(String why) {
        return new RingFullException(path.toString(), mailbox.capacity(), "mailbox of actor " + path + " (capacity "
                + mailbox.capacity() + ") " + why);
    }

    @Override
    public <R> CompletableFuture<R> ask(Function<ActorRef<R>, M> toMessage, Duration timeout) {
        Objects.requireNonNull(toMessage, "toMessage");
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<R> reply = new CompletableFuture<>();
        M request = toMessage.apply(new AskRef<>(system, reply));
        if (request == null) {
            throw new NullPointerException("toMessage returned null for the ask of " + path);
        }
        if (lifeState() == STOPPED) { // nobody will answer: fail now rather than after the timeout
            system.deadLetter(path, request, "stopped");
            reply.completeExceptionally(new io.vela.engine.RingClosedException(path.toString(), mailbox.capacity(),
                    "actor " + path + " is stopped; the ask with a " + request.getClass().getName()
                            + " went to the dead letters"));
            return reply;
        }
        try {
            tell(request);
            ScheduledFuture<?> timer = system.timer().schedule(() -> reply.completeExceptionally(
                    new AskTimeoutException(path, request.getClass().getName(), timeout)),
                    Math.max(1, io.vela.engine.internal.Threads.nanos(timeout)), TimeUnit.NANOSECONDS);
            system.asking(reply, path, request);
            reply.whenComplete((r, e) -> timer.cancel(false));
        } catch (RejectedExecutionException e) { // the mailbox or the timer refused (RingRejectedException)
            reply.completeExceptionally(e);
        }
        return reply;
    }

    /** Gives the actor a turn unless it has one coming; pinned actors poll on their own thread. */
    void schedule() {
        if (pinned && !pinnedLoopEnded) {
            return;
        }
        if (state == IDLE && STATE.compareAndSet(this, IDLE, SCHEDULED)) {
            system.dispatcher().submit(this);
        }
    }

    /**
     * The pinned thread has left its loop (the actor stopped, or the thread ended otherwise): later turns run on the
     * ring workers. Until this point only the pinned thread consumes; after it only the winner of {@link #state}'s
     * CAS does (a sender that offered and then read {@code false} here is seen by the turn submitted below).
     */
    void pinnedLoopEnded() {
        runningOn = null;
        pinnedLoopEnded = true;
        schedule();
    }

    /** Queues a lifecycle message and makes sure a turn sees it. Any thread. */
    void system(Object message) {
        sys.offer(message);
        schedule();
    }

    /** Asks the actor to stop (children first). Any thread; idempotent (one lifecycle message, races aside). */
    void requestStop() {
        if (!stopRequested) {
            stopRequested = true;
            system(Lifecycle.STOP);
        }
    }

    // ---------------------------------------------------------------- the turn (one thread at a time)

    /**
     * One turn on a ring worker, then the turns handed to this worker through its next-turn slot
     * ({@link TurnLoop}), each followed by help with turns that found the executor ring full (see
     * {@link Dispatcher#helpDrain()}).
     */
    @Override
    public void run() {
        system.dispatcher().runTurns(this);
    }

    /**
     * One turn: at most {@code throughput} messages, then the actor goes back to idle (and is submitted again if
     * mail remains, to the back of the ring). Called only by the owner of the actor's scheduled state: a ring
     * worker that took it from the ring or from its next-turn slot, or a thread that took the actor off the
     * dispatcher's pending stack.
     */
    void turn() {
        runningOn = Thread.currentThread();
        try {
            process(throughput);
        } finally {
            runningOn = null;
            STATE.setVolatile(this, IDLE);
            if (hasWork() && STATE.compareAndSet(this, IDLE, SCHEDULED)) {
                system.dispatcher().submitToRing(this); // the back of the ring, never the slot: fairness per turn
            }
        }
    }

    /**
     * The body of a turn; the caller has set {@link #runningOn} (per turn on a ring worker, once on a pinned thread,
     * so an idle pinned loop writes nothing the senders read).
     *
     * @param limit most messages to handle
     * @return lifecycle messages and messages handled (0: nothing to do)
     */
    int process(int limit) {
        int work = sys.isEmpty() ? 0 : drainSystem();
        int l = lifeState();
        if (l == STOPPED) {
            return work + life.drainToDeadLetters();
        }
        int n = 0;
        while (n < limit && life.accepting()) {
            M m = mailbox.poll();
            if (m == null) {
                break;
            }
            n++;
            life.deliver(m);
            processed.set(processed.get() + 1);
            clearInterrupt();
            if (!sys.isEmpty()) {
                work += drainSystem();
            }
        }
        return work + n;
    }

    /**
     * A handler's interrupt must not reach the next actor on a ring worker, nor end a pinned loop (Agrona's
     * {@code AgentRunner} stops a loop whose thread is interrupted when it idles).
     */
    private void clearInterrupt() {
        if (Thread.interrupted()) {
            life.interruptCleared();
        }
    }

    private int drainSystem() {
        int n = 0;
        Object m;
        while ((m = sys.poll()) != null) {
            n++;
            life.onSystem(m);
        }
        clearInterrupt(); // signal handlers and setup are user code too
        return n;
    }

    private boolean hasWork() {
        if (!sys.isEmpty()) {
            return true;
        }
        int l = lifeState();
        return (l == STOPPED || l == ALIVE && life.accepting()) && !mailbox.isEmpty();
    }

    int lifeState() {
        return life.state();
    }

    Lifecycle<M> lifecycle() {
        return life;
    }

    boolean quiescent() {
        return state == IDLE && mailbox.isEmpty() && sys.isEmpty() || pinned && mailbox.isEmpty();
    }

    // ---------------------------------------------------------------- stats (any thread)

    @Override
    public int mailboxCapacity() {
        return mailbox.capacity();
    }

    @Override
    public long received() {
        return mailbox.received();
    }

    @Override
    public long processed() {
        return processed.get();
    }

    @Override
    public long dropped() {
        return mailbox.dropped();
    }

    @Override
    public long depth() {
        return mailbox.depth();
    }

    @Override
    public long restarts() {
        return life.restarts();
    }

    @Override
    public String toString() {
        return "Actor[" + path + "]";
    }

    /** Watch notifications and child bookkeeping, as lifecycle messages. */
    record ChildStopped(String name, ActorCell<?> child) {
    }

    /** A watched actor stopped. */
    record WatchedStopped(ActorCell<?> who) {
    }
}
