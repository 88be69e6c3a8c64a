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
 * allocation, at most one entry per actor since only the winner of the actor's idle-to-scheduled CAS pushes it),
 * drained by every turn that ends and by a timer armed once per overflow episode.
 *
 * <p>Threads: any. {@link #submit} allocates nothing; arming the drain timer allocates one timer task.
 */
final class Dispatcher {
    private final RingExecutor executor;
    private final ScheduledExecutorService timer;
    private final AtomicReference<ActorCell<?>> pending = new AtomicReference<>();
    private final AtomicBoolean drainArmed = new AtomicBoolean();
    private final AtomicLong deferred = new AtomicLong();
    private final Runnable timedDrain = this::timedDrain;

    Dispatcher(RingExecutor executor, ScheduledExecutorService timer) {
        this.executor = executor;
        this.timer = timer;
    }

    /** Puts a scheduled actor's turn on the ring, or on the pending stack when the ring is full. */
    void submit(ActorCell<?> cell) {
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
            cell.run();
        }
    }

    /** Called at the end of every turn: cheap when nothing waits (one read). */
    void helpDrain() {
        if (pending.get() != null) {
            drain();
        }
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

    private void drain() {
        ActorCell<?> list = pending.getAndSet(null);
        ActorCell<?> fifo = null;
        while (list != null) { // reverse: the longest waiting goes first
            ActorCell<?> next = list.nextPending;
            list.nextPending = fifo;
            fifo = list;
            list = next;
        }
        while (fifo != null) {
            ActorCell<?> next = fifo.nextPending;
            OfferResult r = executor.tryExecute(fifo);
            if (r == OfferResult.CLOSED) {
                closed(fifo);
            } else if (r == OfferResult.FULL) {
                while (fifo != null) { // this one and the rest go back
                    next = fifo.nextPending;
                    push(fifo);
                    fifo = next;
                }
                arm();
                return;
            }
            fifo = next; // its turn may already run and be pushed again: its link is not read after this
        }
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
        drain();
    }
}
