package io.vela.engine.channel;

import io.vela.engine.OfferResult;
import io.vela.engine.RingFullException;
import io.vela.engine.WaitStrategy;
import io.vela.engine.internal.Threads;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.QueuedPipe;

/**
 * The {@link Channel} implementation: an Agrona array queue chosen by arity, the state word of
 * {@link ChannelState} and two sets of parked waiters. Threads: as {@link Channel} says (the arity is the caller's
 * to keep). Allocates nothing on the send and take paths; waiting allocates nothing either (waiter slots are
 * preallocated), except the exception that ends a wait.
 *
 * <p>Protocol (ADR 0007). A send adds one to the state word (one atomic add) and so learns, in one instruction,
 * whether the channel was closed (then it refuses and touches nothing else) and whether a receiver is parked (then
 * it wakes the receivers after its offer). Every send that started before {@link #close()} ends in the queue or in
 * {@link #fullAttempts}; close records how many started, so receivers know they are done when the queue has taken
 * that many (less those refused as full) and is empty. A parking receiver registers, sets {@code RECV_WAITING}
 * with a CAS and looks again, counting sends started but not yet landed (the landed count before the queue: ADR
 * 0007, section 4, path 1); a take reads one volatile flag to learn
 * whether a sender waits for room. A spinning channel built with {@code senderCloses(true)} skips the add.
 *
 * @param <T> element type
 */
final class ArrayChannel<T> extends ChannelPadAfter implements Channel<T> {
    /** How long a receiver parks while a send it has counted is still landing (the sender was descheduled). */
    private static final long IN_FLIGHT_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** Single-consumer queues publish a take with a release store; a racing room waiter re-looks this often. */
    private static final long ROOM_RACE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long FOREVER = -1;
    /**
     * The longest a poll or a hook registration waits for a counted send to land before it gives up (answers empty,
     * or leaves the caller to poll): only a sender descheduled that long mid-offer, a dead one, or a queue corrupted
     * by a broken arity takes that long (ADR 0007, section 8).
     */
    private static final long LANDING_PATIENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Looks at a non-empty queue whose next element is not written yet before parking briefly. */
    private static final int BUSY_LOOKS = 64;

    private final String name;
    private final int capacity;
    private final ChannelArity arity;
    private final WaitStrategy waitStrategy;
    private final Pause pause;
    private final QueuedPipe<T> queue;
    private final WaiterSlots receivers = new WaiterSlots();
    private final WaiterSlots senders = new WaiterSlots();
    private final ReadyHooks receivable = new ReadyHooks();
    private final ReadyHooks sendable = new ReadyHooks();
    /** False only for a spinning channel whose sender closes it: sends then skip the atomic add (ADR 0007). */
    private final boolean countsSends;
    private final AtomicLong fullAttempts = new AtomicLong();
    private final ChannelCounters stats;
    private volatile int roomWaiting;
    private volatile long sendsAtClose = -1;

    ArrayChannel(String name, int capacity, ChannelArity arity, WaitStrategy waitStrategy, long safetyParkNanos,
            boolean senderCloses, org.agrona.concurrent.status.AtomicCounter refusals) {
        this.name = name;
        this.arity = arity;
        this.waitStrategy = waitStrategy;
        this.pause = Pause.of(waitStrategy).withSafetyPark(safetyParkNanos);
        this.countsSends = !(senderCloses && !pause.parks());
        this.queue = switch (arity) {
            case ONE_TO_ONE -> new OneToOneConcurrentArrayQueue<>(capacity);
            case MANY_TO_ONE -> new ManyToOneConcurrentArrayQueue<>(capacity);
            case MANY_TO_MANY -> new ManyToManyConcurrentArrayQueue<>(capacity);
        };
        this.capacity = queue.capacity();
        this.stats = new ChannelCounters(name, queue, refusals);
    }

    @Override
    public String name() {
        return stats.name();
    }

    @Override
    public int capacity() {
        return stats.capacity();
    }

    @Override
    public ChannelArity arity() {
        return arity;
    }

    /** @return the resolved wait strategy */
    WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    Pause pause() {
        return pause;
    }

    @Override
    public ChannelStats stats() {
        return stats;
    }

    ChannelCounters counters() {
        return stats;
    }

    @Override
    public OfferResult trySend(T item) {
        OfferResult r = offer(Objects.requireNonNull(item, "item"));
        if (r != OfferResult.ACCEPTED) {
            stats.refused(1);
        }
        return r;
    }

    /** One attempt, not counted as a refusal (select and blocking sends retry). */
    OfferResult offer(T item) {
        if (!countsSends) { // no parked receiver to wake, and close() never races a send (the builder's contract)
            return (state & CLOSED) != 0 ? OfferResult.CLOSED
                    : queue.offer(item) ? OfferResult.ACCEPTED : OfferResult.FULL;
        }
        long s = (long) STATE.getAndAdd(this, 1L);
        if ((s & CLOSED) != 0) {
            return OfferResult.CLOSED;
        }
        if (!queue.offer(item)) {
            fullAttempts.incrementAndGet();
            if ((state & RECV_WAITING) != 0) { // a receiver may be counting this attempt as in flight
                wakeReceivers();
            }
            return OfferResult.FULL;
        }
        if ((s & RECV_WAITING) != 0) {
            wakeReceivers();
        }
        return OfferResult.ACCEPTED;
    }

    @Override
    public void send(T item) {
        sendWithin(item, FOREVER);
    }

    @Override
    public boolean send(T item, Duration timeout) {
        return sendWithin(item, Threads.nanos(timeout));
    }

    private boolean sendWithin(T item, long timeoutNanos) {
        Objects.requireNonNull(item, "item");
        OfferResult r = offer(item);
        if (r == OfferResult.ACCEPTED) {
            return true;
        }
        if (r == OfferResult.CLOSED) {
            throw refusedClosed();
        }
        return awaitRoom(item, timeoutNanos);
    }

    private boolean awaitRoom(T item, long timeoutNanos) {
        long end = Threads.endAfter(timeoutNanos == FOREVER ? Long.MAX_VALUE : timeoutNanos);
        int slot = WaiterSlots.NONE;
        boolean registered = false;
        try {
            for (int n = 0; ; n++) {
                OfferResult r = looksFull() ? OfferResult.FULL : offer(item);
                if (r == OfferResult.ACCEPTED) {
                    return true;
                }
                if (r == OfferResult.CLOSED) {
                    throw refusedClosed();
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    stats.refused(1);
                    return false;
                }
                if (Thread.currentThread().isInterrupted()) {
                    stats.refused(1);
                    throw new RingFullException(name, capacity, "channel '" + name
                            + "': interrupted while waiting for room; not sent");
                }
                if (pause.idle(n)) {
                    continue;
                }
                if (!registered) {
                    slot = senders.register(Thread.currentThread());
                    registered = true;
                }
                if (!markRoomWaiting()) {
                    LockSupport.parkNanos(this, Math.min(left, slot == WaiterSlots.NONE
                            ? WaiterSlots.OVERFLOW_PARK_NANOS : roomParkNanos(pause.maxParkNanos())));
                }
            }
        } finally {
            senders.deregister(slot);
        }
    }

    /**
     * Lets a retrying sender skip an attempt (two atomic adds) while the channel is visibly full; two volatile reads.
     *
     * @return true if the channel is open and has no free slot
     */
    boolean looksFull() {
        return queue.remainingCapacity() == 0 && !isClosed();
    }

    /** @return true if there is room or the channel is closed after announcing a room waiter (do not park) */
    boolean markRoomWaiting() {
        roomWaiting = 1;
        return queue.remainingCapacity() > 0 || isClosed();
    }

    /**
     * @param longestPark the caller's longest park
     * @return how long a registered room waiter may park: capped at 1 ms where a take may miss its flag (ADR 0007)
     */
    long roomParkNanos(long longestPark) {
        return arity.manyReceivers() ? longestPark : Math.min(longestPark, ROOM_RACE_PARK_NANOS);
    }

    void countRefusal() {
        stats.refused(1);
    }

    private ChannelClosedException refusedClosed() {
        stats.refused(1);
        return new ChannelClosedException(name, capacity, "channel '" + name + "' is closed; not sent");
    }

    @Override
    public T receive() {
        return takeWithin(FOREVER);
    }

    @Override
    public Optional<T> receive(Duration timeout) {
        return Optional.ofNullable(takeWithin(Threads.nanos(timeout)));
    }

    private T takeWithin(long timeoutNanos) {
        T e = queue.poll();
        if (e != null) {
            afterTake();
            return e;
        }
        return awaitItem(timeoutNanos);
    }

    private T awaitItem(long timeoutNanos) {
        long end = Threads.endAfter(timeoutNanos == FOREVER ? Long.MAX_VALUE : timeoutNanos);
        int slot = WaiterSlots.NONE;
        boolean registered = false;
        int busy = 0;
        try {
            for (int n = 0; ; n++) {
                T e = queue.poll();
                if (e != null) {
                    afterTake();
                    return e;
                }
                if (isDrained()) {
                    throw drainedException();
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new ChannelInterruptedException("channel '" + name
                            + "': interrupted while waiting for an element; nothing taken");
                }
                if (pause.idle(n)) {
                    continue;
                }
                if (!registered) {
                    slot = receivers.register(Thread.currentThread());
                    registered = true;
                }
                long wait = itemWaitNanos(pause.maxParkNanos());
                if (wait == 0 && ++busy > BUSY_LOOKS) { // the tail moved but the element is not written yet
                    busy = 0;
                    wait = IN_FLIGHT_PARK_NANOS;
                }
                if (wait > 0) {
                    LockSupport.parkNanos(this, Math.min(left, slot == WaiterSlots.NONE
                            ? Math.min(wait, WaiterSlots.OVERFLOW_PARK_NANOS) : wait));
                }
            }
        } finally {
            receivers.deregister(slot);
        }
    }

    /**
     * Announces a parked receiver, then looks again. The caller must have registered its thread first.
     *
     * @param longestPark the caller's longest park (its own wait strategy's: a select's may park where the
     *                    channel's spins)
     * @return 0 to look again at once (an element or the close is there), a short park while a counted send is
     *         still landing, else {@code longestPark} (a sender or close will wake it)
     */
    long itemWaitNanos(long longestPark) {
        long s;
        do {
            s = state;
        } while ((s & RECV_WAITING) == 0 && !STATE.compareAndSet(this, s, s | RECV_WAITING));
        // The landed count first, the queue after it: a send counted in s that lands after the queue was found
        // empty must still show as in flight, since its add came before the announcement and it wakes nobody.
        long started = (s & CLOSED) == 0 ? s & COUNT : sendsAtClose;
        long landed = queue.addedCount() + fullAttempts.get();
        if (!queue.isEmpty() || isDrained()) {
            return 0;
        }
        if (!countsSends) { // its senders never look at RECV_WAITING: a select parked on it polls
            return Math.min(longestPark, WaiterSlots.OVERFLOW_PARK_NANOS);
        }
        if (started < 0 || started - landed > 0) {
            return Math.min(longestPark, IN_FLIGHT_PARK_NANOS);
        }
        return longestPark;
    }

    ChannelClosedException drainedException() {
        return new ChannelClosedException(name, capacity, "channel '" + name + "' is closed and drained");
    }

    @Override
    public Optional<T> poll() {
        return Optional.ofNullable(pollOrElse(null));
    }

    @Override
    public T pollOrElse(T otherwise) {
        T e = queue.poll();
        if (e == null) {
            e = pollLanding();
            if (e == null) {
                return otherwise;
            }
        }
        afterTake();
        return e;
    }

    /**
     * A poll found nothing. Looks again while the channel's own accounting says an element is a few instructions
     * away (ADR 0007, section 8): a send has claimed a slot at or before the tail but not yet written it, or the
     * channel is closed and a send counted before the close has not landed yet. Either way the poll must not answer
     * "empty": a send that finished, or was refused by the close, may be ordered before it.
     *
     * @return the element taken (not yet {@link #afterTake()}), or null when the channel is really empty now
     */
    private T pollLanding() {
        long giveUpAt = 0;
        for (int n = 0; ; n++) {
            long closed = state & CLOSED;
            // The accounting first, the queue after it: a send that lands in between is then seen in the queue.
            if (!(closed != 0 && countsSends && !landed(closeCount())) && queue.isEmpty()
                    && (state & CLOSED) == closed) {
                return null;
            }
            giveUpAt = landingDeadline(n, giveUpAt);
            if (giveUpAt == 0) {
                return null;
            }
            Pause.backOff(n);
            T e = queue.poll();
            if (e != null) {
                return e;
            }
        }
    }

    /**
     * @param n        looks so far
     * @param giveUpAt the deadline so far (any value before the spins end)
     * @return the deadline to keep ({@link #LANDING_PATIENCE_NANOS} after the spins end), or 0 once it has passed
     */
    private static long landingDeadline(int n, long giveUpAt) {
        if (n < Pause.LANDING_SPINS) {
            return 1;
        }
        long now = System.nanoTime();
        if (n == Pause.LANDING_SPINS) {
            return now + LANDING_PATIENCE_NANOS | 1;
        }
        return now - giveUpAt > 0 ? 0 : giveUpAt;
    }

    /**
     * @param started a number of sends started
     * @return true if that many sends have each ended in the queue's tail or in {@link #fullAttempts}
     */
    private boolean landed(long started) {
        return started - queue.addedCount() - fullAttempts.get() <= 0;
    }

    /** @return the sends counted by the first close, waiting (briefly) while that close is still recording them */
    private long closeCount() {
        long started;
        for (int n = 0; (started = sendsAtClose) < 0; n++) {
            Pause.backOff(n);
        }
        return started;
    }

    /**
     * A loop of polls rather than the queue's own {@code drain}, which keeps the head in a local: a handler that
     * takes from this channel (or sends into it) would make that drain re-read slots already taken and refilled.
     * Each take reads the head afresh and wakes a sender waiting for room before its handler runs.
     */
    @Override
    public int drain(Consumer<? super T> handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        int n = 0;
        while (n < limit) {
            T e = queue.poll();
            if (e == null && (e = pollLanding()) == null) {
                break;
            }
            n++;
            afterTake();
            handler.accept(e);
        }
        return n;
    }

    /** The take path's only extra cost: one volatile read, plus a wake-up when a sender waits for room. */
    private void afterTake() {
        if (roomWaiting != 0) {
            wakeSenders();
        }
    }

    private void wakeSenders() {
        roomWaiting = 0;
        senders.wakeAll();
        sendable.fireAll();
    }

    private void wakeReceivers() {
        STATE.getAndBitwiseAnd(this, ~RECV_WAITING);
        receivers.wakeAll();
        receivable.fireAll();
    }

    @Override
    public boolean onReceivable(Runnable hook) {
        Objects.requireNonNull(hook, "hook");
        if (!countsSends) { // its senders never look at RECV_WAITING
            return false;
        }
        int slot = receivable.register(hook);
        if (slot == WaiterSlots.NONE) {
            return false;
        }
        long s;
        do {
            s = state;
        } while ((s & RECV_WAITING) == 0 && !STATE.compareAndSet(this, s, s | RECV_WAITING));
        // Sends counted after the CAS see RECV_WAITING and fire the hook; those counted before it are awaited here.
        long giveUpAt = 0;
        for (int n = 0; (s & CLOSED) == 0 && queue.isEmpty() && !landed(s & COUNT); n++) {
            giveUpAt = landingDeadline(n, giveUpAt);
            if (giveUpAt == 0) {
                return !receivable.remove(slot, hook); // removed: not registered, the caller polls
            }
            Pause.backOff(n);
        }
        if ((!queue.isEmpty() || (s & CLOSED) != 0 || isClosed()) && receivable.remove(slot, hook)) {
            ReadyHooks.run(hook);
        }
        return true;
    }

    @Override
    public void cancelReceivable(Runnable hook) {
        receivable.cancel(hook);
    }

    @Override
    public boolean onSendable(Runnable hook) {
        Objects.requireNonNull(hook, "hook");
        int slot = sendable.register(hook);
        if (slot == WaiterSlots.NONE) {
            return false;
        }
        if (markRoomWaiting() && sendable.remove(slot, hook)) {
            ReadyHooks.run(hook);
        }
        return true;
    }

    @Override
    public void cancelSendable(Runnable hook) {
        sendable.cancel(hook);
    }

    /** @return the hooks registered by {@link #onReceivable} (tests) */
    ReadyHooks receivableHooks() {
        return receivable;
    }

    /** @return the hooks registered by {@link #onSendable} (tests) */
    ReadyHooks sendableHooks() {
        return sendable;
    }

    WaiterSlots receivers() {
        return receivers;
    }

    WaiterSlots senders() {
        return senders;
    }

    @Override
    public void close() {
        long prev = (long) STATE.getAndBitwiseOr(this, CLOSED);
        if ((prev & CLOSED) != 0) {
            closeCount(); // a repeated close returns only once the first one's accounting is visible
            return;
        }
        sendsAtClose = prev & COUNT;
        wakeReceivers();
        wakeSenders();
    }

    @Override
    public boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    @Override
    public boolean isDrained() {
        long started = sendsAtClose;
        if (started < 0) {
            if ((state & CLOSED) == 0) {
                return false;
            }
            started = closeCount(); // a close is recording its count: a few instructions away
        }
        return (!countsSends || queue.addedCount() + fullAttempts.get() == started)
                && queue.isEmpty();
    }

    @Override
    public String toString() {
        return "Channel[" + name + ", " + arity.configName() + ", capacity " + capacity + ", "
                + waitStrategy.configName() + (isClosed() ? ", closed" : "") + "]";
    }
}
