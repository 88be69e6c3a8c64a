package io.vela.engine.actor;

import io.vela.engine.OfferResult;
import io.vela.engine.RingExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gives actors with mail a ring worker (ADR 0008). An actor's turn is the actor itself (a preallocated
 * {@link Runnable}) put on the executor's ring with {@code tryExecute}; the ring is the run queue. When the ring is
 * full, the actor is pushed on an intrusive lock-free stack linked through {@link ActorCell#nextPending} (no
 * allocation, at most one entry per actor since only the winner of the actor's idle-to-scheduled CAS pushes it).
 * One drainer at a time (a try-lock; the others go on) moves the stack, reversed, to the tail of a FIFO backlog
 * linked through the same field, then submits from the backlog's head while the ring has room; when the ring is
 * full it runs the head's turn itself. Each waiting actor is thus moved once and submitted once: a drain costs what
 * it submits, not what waits. Drains run at the end of every turn and on a timer armed when work is left.
 *
 * <p>A worker inside an actor turn puts an actor it schedules in its own next-turn slot ({@link TurnLoop}) rather
 * than on the ring, and runs it when the turn ends: a ping-pong stays on one core.
 *
 * <p>Threads: any. {@link #submit} allocates nothing; arming the drain timer allocates one timer task; a worker's
 * first actor turn allocates its {@link TurnLoop}.
 */
final class Dispatcher {
    private final RingExecutor executor;
    private final ScheduledExecutorService timer;
    private final AtomicReference<ActorCell<?>> pending = new AtomicReference<>();
    private final AtomicBoolean drainArmed = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong deferred = new AtomicLong();
    private final Runnable timedDrain = this::timedDrain;
    /** Most worker threads with a next-turn slot; others (beyond it) submit every turn to the ring. */
    private static final int MAX_LOOPS = 256;
    /** The workers' next-turn slots, copy-on-write: scanned by {@link #submit} (a handful of workers). */
    private volatile TurnLoop[] loops = new TurnLoop[0];
    /** The backlog's oldest actor; written only by the drainer, read by anyone as a hint that work waits. */
    private volatile ActorCell<?> backlogHead;
    /** The backlog's newest actor; only the drainer. */
    private ActorCell<?> backlogTail;

    Dispatcher(RingExecutor executor, ScheduledExecutorService timer) {
        this.executor = executor;
        this.timer = timer;
    }

    /**
     * Gives a scheduled actor its turn. On a worker inside an actor turn it goes to that worker's next-turn slot
     * (an older occupant goes to the ring); otherwise to the ring.
     */
    void submit(ActorCell<?> cell) {
        TurnLoop loop = loopOf(Thread.currentThread());
        if (loop != null && loop.active) {
            cell = loop.park(cell);
            if (cell == null) {
                return;
            }
        }
        submitToRing(cell);
    }

    /** Puts a scheduled actor's turn on the ring, or on the pending stack when the ring is full. */
    void submitToRing(ActorCell<?> cell) {
        OfferResult r = executor.tryExecute(cell);
        if (r == OfferResult.FULL) {
            deferred.incrementAndGet();
            push(cell);
            arm();
        } else if (r == OfferResult.CLOSED) {
            closed(cell);
        }
    }

    /**
     * The executor has shut down. A stopped actor's late mail is drained to the dead letters right here (the caller
     * won the actor's scheduling CAS, so it is the only consumer; no user code runs). A live actor's mail stays in
     * its mailbox, reported by the actors' shutdown.
     */
    private static void closed(ActorCell<?> cell) {
        if (cell.lifeState() == ActorCell.STOPPED) {
            cell.turn();
        }
    }

    /**
     * Called at the end of every turn, on a ring worker: cheap when nothing waits (two reads). Submits waiting turns
     * while the ring has room; if it is full, runs the oldest waiting turn right here. A turn cannot wait for a slot
     * that its own task still holds: on a small ring, submitting alone would leave the waiting actors to the drain
     * timer, one tick at a time, while the workers idle.
     */
    void helpDrain() {
        if (pending.get() != null || backlogHead != null) {
            ActorCell<?> own = drain();
            if (own != null) {
                own.turn(); // taken off the backlog, so this thread owns its turn
            }
        }
    }

    /**
     * Runs a turn taken from the ring on this worker, then the turns handed to it through its next-turn slot. A
     * nested call (a turn run from inside a turn) runs just the one turn: the outer loop empties the slot.
     */
    void runTurns(ActorCell<?> cell) {
        TurnLoop loop = loopOf(Thread.currentThread());
        if (loop == null) {
            loop = register(Thread.currentThread());
        }
        if (loop == null || loop.active) {
            cell.turn();
            helpDrain();
        } else {
            loop.runFrom(cell, this);
        }
    }

    private TurnLoop loopOf(Thread t) {
        TurnLoop[] ls = loops;
        for (TurnLoop l : ls) {
            if (l.thread == t) {
                return l;
            }
        }
        return null;
    }

    /** Once per worker thread; bounded, so threads that come and go cannot grow it without end. */
    private synchronized TurnLoop register(Thread t) {
        TurnLoop found = loopOf(t);
        if (found != null || loops.length >= MAX_LOOPS) {
            return found;
        }
        TurnLoop[] grown = java.util.Arrays.copyOf(loops, loops.length + 1);
        grown[loops.length] = new TurnLoop(t);
        loops = grown;
        return grown[loops.length - 1];
    }

    /** @return how often a turn found the executor ring full and waited on the pending stack */
    long deferred() {
        return deferred.get();
    }

    private void push(ActorCell<?> cell) {
        ActorCell<?> head;
        do {
            head = pending.get();
            cell.nextPending = head;
        } while (!pending.compareAndSet(head, cell));
    }

    /** @return the oldest waiting actor when the ring is full, now the caller's to run; or null */
    private ActorCell<?> drain() {
        if (!draining.compareAndSet(false, true)) {
            return null; // the drainer re-checks after it lets go
        }
        ActorCell<?> own = null;
        try {
            appendPending();
            ActorCell<?> c;
            while ((c = backlogHead) != null) {
                ActorCell<?> next = c.nextPending; // before tryExecute: once accepted, its turn may push it again
                OfferResult r = executor.tryExecute(c);
                if (r == OfferResult.FULL) {
                    own = c;
                }
                backlogHead = next;
                if (next == null) {
                    backlogTail = null;
                }
                if (r == OfferResult.CLOSED) {
                    closed(c);
                } else if (own != null) {
                    break;
                }
            }
        } finally {
            draining.set(false);
        }
        if (backlogHead != null || pending.get() != null) {
            arm();
        }
        return own;
    }

    /** Moves the pending stack, reversed to arrival order, to the backlog's tail. Drainer only. */
    private void appendPending() {
        ActorCell<?> list = pending.getAndSet(null);
        if (list == null) {
            return;
        }
        ActorCell<?> newest = list;
        ActorCell<?> fifo = null;
        while (list != null) {
            ActorCell<?> next = list.nextPending;
            list.nextPending = fifo;
            fifo = list;
            list = next;
        }
        if (backlogTail == null) {
            backlogHead = fifo;
        } else {
            backlogTail.nextPending = fifo;
        }
        backlogTail = newest;
    }

    private void arm() {
        if (drainArmed.compareAndSet(false, true)) {
            try {
                timer.schedule(timedDrain, 1, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                drainArmed.set(false); // the timer is full or closed: the next turn's helpDrain still drains
            }
        }
    }

    private void timedDrain() {
        drainArmed.set(false);
        helpDrain(); // a task on a ring worker too
    }
}
