package io.vela.engine.actor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An actor's state as seen by its own turn: the current behaviour, children, watches, timers and supervision.
 * Threads: only the actor's turn, except {@link #state()}, {@link #restarts()} (any thread) and the watcher list
 * (guarded by {@code this}). Handling a message allocates nothing here; lifecycle events (start, restart, stop,
 * watch) allocate.
 */
final class Lifecycle<M> {
    static final Object CREATE = "create";
    static final Object STOP = "stop";
    static final Object END_BACKOFF = "end-backoff";
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final ActorCell<M> cell;
    private final Behavior<M> initial;
    private final SupervisorStrategy strategy;
    final ContextImpl<M> ctx;
    final Map<String, ActorCell<?>> children = new HashMap<>();
    final Set<ActorCell<?>> watching = new HashSet<>();
    final List<TimerHandle> timers = new ArrayList<>();

    private volatile int state = ActorCell.ALIVE;
    private volatile long restarts;
    private volatile boolean suspended;
    private boolean restartAfterChildren;
    private long pendingBackoff;
    private Behavior<M> behavior;
    private int consecutiveFailures;
    private long[] restartTimes;
    private int restartIndex;
    private List<ActorCell<?>> watchers = new ArrayList<>();
    private List<ActorCell<?>> deferredTerminated;

    Lifecycle(ActorCell<M> cell, Behavior<M> initial) {
        this.cell = cell;
        this.initial = initial;
        this.strategy = initial instanceof Behaviors.Supervised<M> s ? s.strategy() : null;
        this.ctx = new ContextImpl<>(cell, this);
    }

    int state() {
        return state;
    }

    long restarts() {
        return restarts;
    }

    /** @return true if user messages may be handled now */
    boolean accepting() {
        return state == ActorCell.ALIVE && !suspended && behavior != null;
    }

    void onSystem(Object m) {
        if (m == CREATE) {
            start();
        } else if (m == STOP) {
            beginStop();
        } else if (m == END_BACKOFF) {
            suspended = false;
            if (state == ActorCell.ALIVE) {
                start();
            }
        } else if (m instanceof ActorCell.ChildStopped c) {
            children.remove(c.name(), c.child());
            if (children.isEmpty() && state == ActorCell.STOPPING) {
                finish();
            } else if (children.isEmpty() && restartAfterChildren && state == ActorCell.ALIVE) {
                continueRestart();
            }
        } else if (m instanceof ActorCell.WatchedStopped w) {
            if (state == ActorCell.ALIVE && behavior == null && watching.contains(w.who())) {
                deferTerminated(w.who()); // restarting: signalled once the new behaviour has started
            } else if (watching.remove(w.who()) && state == ActorCell.ALIVE) {
                signal(new Terminated(w.who()));
            }
        }
    }

    private void deferTerminated(ActorCell<?> who) {
        if (deferredTerminated == null) {
            deferredTerminated = new ArrayList<>();
        }
        deferredTerminated.add(who);
    }

    private void start() {
        if (state != ActorCell.ALIVE) {
            return;
        }
        try {
            behavior = canonical(initial);
        } catch (Throwable t) { // an Error too: the actor must end consistently (watchers, parent, mailbox)
            LOG.error("Actor {} failed to start; stopping it", cell.path, t);
            behavior = null;
            beginStop();
            return;
        }
        if (behavior != null) {
            signal(PreStart.INSTANCE);
            signalDeferredTerminated();
        }
    }

    /** Terminated signals that arrived while a restart had no behaviour to give them to (watches are kept). */
    private void signalDeferredTerminated() {
        List<ActorCell<?>> d = deferredTerminated;
        if (d == null) {
            return;
        }
        deferredTerminated = null;
        for (ActorCell<?> who : d) {
            if (watching.remove(who) && accepting()) {
                signal(new Terminated(who));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Behavior<M> canonical(Behavior<M> b) throws Exception {
        Behavior<M> c = b;
        while (true) {
            if (c instanceof Behaviors.Supervised<M> s) {
                c = s.behavior();
            } else if (c instanceof Behaviors.Setup<M> s) {
                c = s.factory().apply(ctx);
                if (c == null || c == Behaviors.same()) {
                    throw new IllegalStateException("setup of actor " + cell.path + " returned " + c
                            + "; return a behaviour");
                }
            } else if (c == Behaviors.stopped()) {
                beginStop();
                return null;
            } else if (c instanceof AbstractBehavior || c instanceof Behaviors.Receive) {
                return c;
            } else {
                throw new IllegalStateException("actor " + cell.path + " got behaviour " + c + "; valid: one built "
                        + "by Behaviors or an AbstractBehavior");
            }
        }
    }

    /** Hands one message to the behaviour; a failure goes to the supervisor strategy. */
    void deliver(M m) {
        try {
            Behavior<M> b = behavior;
            Behavior<M> next;
            if (b instanceof AbstractBehavior<M> ab) {
                next = ab.onMessage(m);
            } else {
                next = ((Behaviors.Receive<M>) b).onMessage.onMessage(ctx, m);
            }
            become(next);
            if (consecutiveFailures != 0) { // no write per message: senders read this object's state
                consecutiveFailures = 0;
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    private void become(Behavior<M> next) throws Exception {
        if (next == null) {
            throw new IllegalStateException("a handler of actor " + cell.path + " returned null; return "
                    + "Behaviors.same() to keep the behaviour");
        }
        if (next == Behaviors.<M>same() || next == behavior || state != ActorCell.ALIVE) {
            return;
        }
        Behavior<M> c = canonical(next);
        if (c != null) {
            behavior = c;
        }
    }

    private void signal(Signal s) {
        Behavior<M> b = behavior;
        if (b == null) {
            return;
        }
        try {
            Behavior<M> next = Behaviors.same();
            if (b instanceof AbstractBehavior<M> ab) {
                next = ab.onSignal(s);
            } else if (b instanceof Behaviors.Receive<M> r && r.onSignal != null) {
                next = r.onSignal.onSignal(ctx, s);
            }
            if (s instanceof Terminated) {
                become(next);
            }
        } catch (Throwable t) { // an Error too: a PostStop that throws must not leave the stop half done
            if (s instanceof Terminated) {
                failed(t);
            } else {
                LOG.warn("Actor {}: the {} handler threw", cell.path, s, t);
            }
        }
    }

    /**
     * A handler threw. Every {@link Throwable} goes to the supervisor strategy (ADR 0008): rethrowing an
     * {@link Error} would leave the actor half way (its message neither processed nor dead-lettered, no supervision)
     * and, on a pinned thread, end the thread (Agrona's {@code AgentRunner} rethrows errors). A
     * {@link StackOverflowError} is an ordinary failure (the stack is unwound by now); other
     * {@link VirtualMachineError}s (out of memory, internal errors) stop the actor whatever the strategy.
     */
    private void failed(Throwable t) {
        SupervisorStrategy s = strategy;
        if (s == null || s.kind == SupervisorStrategy.Kind.STOP || fatal(t)) {
            LOG.error("Actor {} failed; stopping it", cell.path, t);
            beginStop();
            return;
        }
        if (s.kind == SupervisorStrategy.Kind.RESUME) {
            LOG.debug("Actor {} failed; resuming it", cell.path, t);
            return;
        }
        long now = System.nanoTime();
        if (limitReached(s, now)) {
            LOG.error("Actor {} failed after {} restart(s) within {}; stopping it", cell.path, s.maxRestarts,
                    s.window, t);
            beginStop();
            return;
        }
        consecutiveFailures++;
        restarts = restarts + 1;
        LOG.warn("Actor {} failed; restarting it (restart {})", cell.path, restarts, t);
        signal(PreRestart.INSTANCE);
        behavior = null;
        cancelTimers();
        suspended = true;
        pendingBackoff = s.backoffNanos(consecutiveFailures);
        if (children.isEmpty()) {
            continueRestart();
        } else { // children first, so that setup may spawn them again under the same names
            restartAfterChildren = true;
            for (ActorCell<?> c : children.values()) {
                if (watching.remove(c)) { // no Terminated for what the failed incarnation owned
                    c.lifecycle().removeWatcher(cell);
                }
                c.requestStop();
            }
        }
    }

    private void continueRestart() {
        restartAfterChildren = false;
        long backoff = pendingBackoff;
        if (backoff == 0) {
            suspended = false;
            start();
            return;
        }
        try {
            cell.system.timer().schedule(() -> cell.system(END_BACKOFF), backoff, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("Actor {}: the timer refused the restart back-off; restarting at once", cell.path);
            suspended = false;
            start();
        }
    }

    private boolean limitReached(SupervisorStrategy s, long now) {
        if (s.maxRestarts < 0) {
            return false;
        }
        if (restartTimes == null) {
            restartTimes = new long[s.maxRestarts];
            java.util.Arrays.fill(restartTimes, Long.MIN_VALUE);
        }
        long oldest = restartTimes[restartIndex];
        if (oldest != Long.MIN_VALUE && now - oldest < s.window.toNanos()) {
            return true;
        }
        restartTimes[restartIndex] = now;
        restartIndex = (restartIndex + 1) % restartTimes.length;
        return false;
    }

    /** Stops the children first; {@link #finish()} runs when the last one has stopped. */
    void beginStop() {
        if (state != ActorCell.ALIVE) {
            return;
        }
        state = ActorCell.STOPPING;
        cancelTimers();
        if (children.isEmpty()) {
            finish();
        } else {
            for (ActorCell<?> c : children.values()) {
                c.requestStop();
            }
        }
    }

    private void finish() {
        signal(PostStop.INSTANCE);
        cancelTimers(); // again: PostStop may have started one
        behavior = null;
        for (ActorCell<?> w : watching) {
            w.lifecycle().removeWatcher(cell);
        }
        watching.clear();
        List<ActorCell<?>> toTell;
        synchronized (this) {
            toTell = watchers;
            watchers = null;
        }
        drainToDeadLetters();
        state = ActorCell.STOPPED;
        cell.system.unregister(cell);
        for (ActorCell<?> w : toTell) {
            w.system(new ActorCell.WatchedStopped(cell));
        }
        if (cell.parent != null) {
            cell.parent.system(new ActorCell.ChildStopped(cell.path.name(), cell));
        }
    }

    /** @return how many messages went to the dead letters */
    int drainToDeadLetters() {
        int n = 0;
        M m;
        while ((m = cell.mailbox.poll()) != null) {
            n++;
            cell.system.leftInMailbox(cell.path, m);
        }
        return n;
    }

    void addWatcher(ActorCell<?> watcher) {
        synchronized (this) {
            if (watchers != null) {
                watchers.add(watcher);
                return;
            }
        }
        watcher.system(new ActorCell.WatchedStopped(cell)); // already stopped: signal at once
    }

    synchronized void removeWatcher(ActorCell<?> watcher) {
        if (watchers != null) {
            watchers.remove(watcher);
        }
    }

    void cancelTimers() {
        for (TimerHandle t : timers) {
            t.cancel();
        }
        timers.clear();
    }

    void interruptCleared() {
        LOG.debug("Actor {}: a handler left the interrupt flag set; cleared it", cell.path);
    }

    private static boolean fatal(Throwable t) {
        return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
    }
}
