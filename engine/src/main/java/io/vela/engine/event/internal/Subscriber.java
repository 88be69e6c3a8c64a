package io.vela.engine.event.internal;

import com.lmax.disruptor.Sequence;
import io.vela.engine.counters.CounterFactory;
import io.vela.engine.counters.CounterTypes;
import io.vela.engine.event.AsyncEventHandler;
import io.vela.engine.event.DeliveryMode;
import io.vela.engine.event.ErrorPolicy;
import io.vela.engine.event.EventHandler;
import io.vela.engine.event.SubscriberStats;
import io.vela.engine.event.Subscription;
import io.vela.engine.internal.FullRingBackoff;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One subscription: its window of sequences {@code [startSeq, endSeq]}, type, filter, handler, error policy and
 * counters.
 *
 * <p>{@link #offer} runs on the subscription's consumer thread. Inline: filter and handler run there, counters are
 * single-writer fields published with release stores; nothing is allocated. Offloaded (counters atomic): the event
 * is pushed to the {@link Window} and a preallocated drain task runs on the executor (one at a time, in order).
 * Async: the handler runs on the consumer thread and its stage's completion (any thread) completes the window
 * entry; counters are then updated atomically; {@code whenComplete} allocates per event. {@link #close} and the
 * stats may be called from any thread. {@code terminated} is completed by the thread that finishes the subscription,
 * unless that is a consumer thread: then on the ring executor or a new thread (the user's dependent stages run
 * there), once per subscription.
 *
 * <p>Faults: a handler's {@code Throwable} (an {@code Error} too) is counted and goes to the error policy; the
 * interrupt flag is cleared after every handler call (for inline handlers by the consumer loop after each
 * {@link #offer}, which reads its own thread's flag: cheaper than {@code Thread.interrupted()} per call), so a
 * handler that restored it neither stops its consumer nor hands the flag to the next handler. Logging never throws
 * out of here (an exception whose {@code toString} throws is logged by class name). An offloaded drain is handed
 * to the executor without waiting ({@link EventBusImpl#offer}); when the executor refuses, or the window is full
 * and no drain has started within {@link #STEAL_AFTER_NANOS} (the executor is busy, perhaps with tasks waiting for
 * this very topic), the consumer thread runs the drain itself, one drain at a time as always. An async retry whose
 * hand-off to the executor is refused fails for good: counted, given to the policy's fallback (e.g.
 * dead-lettered), its window slot released. A closed subscription whose full window makes no progress is abandoned
 * ({@link #pushSlow}); an async stage's completion acts once ({@link Completion}).
 */
final class Subscriber implements Subscription, SubscriberStats {
    private static final VarHandle END_SEQ;
    private static final VarHandle SCHEDULED;
    private static final VarHandle RETIRED;
    private static final VarHandle FINISHED;
    private static final VarHandle DRAINER;
    /** How long a consumer waits on a full offloaded window whose drain has not started before running it itself. */
    static final long STEAL_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * How long the consumer waits on the full window of a closed (or stopped) subscription that makes no progress
     * before it gives the event up (counted as dropped) and lets the subscription's neighbours go on.
     */
    static final long CLOSED_STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Hands a delayed async retry over at the end of its delay, on the JDK's delay thread; it never waits there. */
    private static final Executor DIRECT = Runnable::run;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            END_SEQ = l.findVarHandle(Subscriber.class, "endSeq", long.class);
            SCHEDULED = l.findVarHandle(Subscriber.class, "scheduled", boolean.class);
            RETIRED = l.findVarHandle(Subscriber.class, "retired", boolean.class);
            FINISHED = l.findVarHandle(Subscriber.class, "finished", boolean.class);
            DRAINER = l.findVarHandle(Subscriber.class, "drainer", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What a {@link SubscriptionBuilderImpl} collected. */
    static final class Spec {
        String name;
        Class<?> type;
        Predicate<Object> filter;
        DeliveryMode mode = DeliveryMode.INLINE;
        boolean lossy;
        ErrorPolicy policy = ErrorPolicy.logAndContinue();
        int consumerIndex = -1;
        int maxInFlight;
        EventHandler<Object> handler;
        AsyncEventHandler<Object> asyncHandler;
    }

    private final TopicRing topic;
    private final String name;
    /** Rate-limited JFR events when this (lossy) subscriber skips events. */
    private final io.vela.engine.internal.jfr.JfrEvents.LossyDrops lossyDrops;
    private final Class<?> type;
    private final Predicate<Object> filter;
    private final DeliveryMode mode;
    private final boolean inline;
    private final boolean lossy;
    private final ErrorPolicy policy;
    private final EventHandler<Object> handler;
    private final AsyncEventHandler<Object> asyncHandler;
    private final int consumerIndex;
    private final long startSeq;
    private final Sequence position;
    /**
     * The delivering consumer's batch marker, see {@link #end}: of the consumer thread that offers to this
     * subscription (for a window: the lossless consumer that pushes into it, which checks the end before the push).
     */
    private final Sequence delivering;
    private final Window window;
    private final Runnable drainTask;
    /** The consumer's back-off while this subscription's window is full (offloaded and async only). */
    private final IdleStrategy pushIdle;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private volatile long endSeq = Long.MAX_VALUE;
    private volatile boolean scheduled;
    private volatile boolean retired;
    private volatile boolean finished;
    /** The thread running this offloaded subscription's drain, or null: at most one at a time. */
    private volatile Thread drainer;
    private long drainNext;
    /**
     * Set when the consumer gave up on this closed subscription's stalled window: nothing more is delivered to it
     * (its window no longer gates the ring, so a slot it holds may be overwritten); what is left counts as dropped.
     */
    private volatile boolean abandoned;
    /*
     * Running totals, in the runtime's counters file (or on the heap for a bus made without a runtime): written by
     * the delivering thread with release stores (inline, lossy), with getAndAdd where drains of an offloaded or async
     * subscription may count from several threads; read by stats() and vela-stat. Replaced by heap copies holding the
     * final values when the subscription finishes and its counters are freed.
     */
    private volatile AtomicCounter delivered;
    private volatile AtomicCounter filtered;
    private volatile AtomicCounter dropped;
    private volatile AtomicCounter failed;

    Subscriber(TopicRing topic, Spec spec, String name, long startSeq, Sequence position, Sequence delivering,
            Sequence gating, int consumerIndex) {
        this.topic = topic;
        this.name = name;
        this.lossyDrops = new io.vela.engine.internal.jfr.JfrEvents.LossyDrops(name);
        this.type = spec.type;
        this.filter = spec.filter;
        this.mode = spec.mode;
        this.inline = mode == DeliveryMode.INLINE;
        this.lossy = spec.lossy;
        this.policy = spec.policy;
        this.handler = spec.handler;
        this.asyncHandler = spec.asyncHandler;
        this.consumerIndex = consumerIndex;
        this.startSeq = startSeq;
        this.position = position;
        this.delivering = delivering;
        this.window = gating == null ? null : new Window(spec.maxInFlight, gating);
        this.drainTask = mode == DeliveryMode.OFFLOADED ? this::drain : null;
        this.pushIdle = window == null ? null : FullRingBackoff.create();
        CounterFactory counters = topic.bus.counters;
        String label = topic.name + "/" + name;
        this.delivered = counters.newCounter(CounterTypes.SUBSCRIBER, label, "delivered");
        this.filtered = counters.newCounter(CounterTypes.SUBSCRIBER, label, "filtered");
        this.dropped = counters.newCounter(CounterTypes.SUBSCRIBER, label, "dropped");
        this.failed = counters.newCounter(CounterTypes.SUBSCRIBER, label, "failed");
    }

    /** @return true for offloaded and async subscriptions (they have a window) */
    boolean windowed() {
        return window != null;
    }

    boolean finished() {
        return finished;
    }

    int consumerIndex() {
        return consumerIndex;
    }

    boolean matchesType(Class<?> c) {
        return type == null || type.isAssignableFrom(c);
    }

    boolean inWindow(long seq) {
        return seq >= startSeq && seq <= endSeq;
    }

    /**
     * For the consumer's per-event path: a plain read of the window's end. The consumer re-reads it after each
     * batch's acquiring wait; an end set by {@code close()} is never below a sequence of a batch that was already
     * visible when close began, so reading it once per batch is exact.
     */
    boolean inWindowPlain(long seq) {
        return seq >= startSeq && seq <= (long) END_SEQ.get(this);
    }

    // ---- consumer thread ----

    void offer(Object event, long seq) {
        if (seq < startSeq || seq > (long) END_SEQ.get(this)) {
            return;
        }
        if (filter != null && !passes(event, seq)) {
            return;
        }
        if (inline) {
            invoke(event, seq);
        } else {
            offerToWindow(event, seq);
        }
    }

    /** @return true if the filter lets {@code event} through; counts it otherwise (kept apart: offer stays small) */
    private boolean passes(Object event, long seq) {
        boolean pass;
        try {
            pass = filter.test(event);
        } catch (Throwable t) {
            Thread.interrupted();
            fail(event, seq, t);
            return false;
        }
        Thread.interrupted(); // user code, like a handler: the flag it restored goes no further
        if (!pass) {
            filtered.incrementRelease();
        }
        return pass;
    }

    /** Offloaded and async: into the window (waiting while it is full), then to the drain or the async handler. */
    private void offerToWindow(Object event, long seq) {
        if (abandoned) {
            count(dropped);
            return;
        }
        long index = window.tryPush(event, seq);
        if (index < 0 && (index = pushSlow(event, seq)) < 0) {
            return; // halted while waiting
        }
        if (mode == DeliveryMode.OFFLOADED) {
            schedule();
        } else {
            callAsync(index, event, seq, 0);
        }
    }

    /**
     * The window is full: waits for completions (back-pressure), until the bus halts. An offloaded subscription whose
     * drain is not running after {@link #STEAL_AFTER_NANOS} is drained here, on the consumer thread. Once the
     * subscription is closed (or stopped by its policy), the wait lasts only while the window makes progress: after
     * {@link #CLOSED_STALL_NANOS} without a completion the subscription is abandoned ({@link #giveUp}) — a stuck
     * handler or a stage that never completes no longer holds its neighbours on this consumer thread.
     *
     * @return the entry's index, or -1 if the bus halted or the event was given up
     */
    private long pushSlow(Object event, long seq) {
        IdleStrategy idle = pushIdle;
        idle.reset();
        long since = System.nanoTime();
        long progressAt = since;
        long head = window.head();
        while (!topic.halted()) {
            long index = window.tryPush(event, seq);
            if (index >= 0) {
                return index;
            }
            long now = System.nanoTime();
            if (endSeq != Long.MAX_VALUE) {
                long h = window.head();
                if (h != head) {
                    head = h;
                    progressAt = now;
                } else if (now - progressAt > CLOSED_STALL_NANOS) {
                    giveUp();
                    return -1;
                }
            }
            if (mode == DeliveryMode.OFFLOADED && drainer == null && now - since > STEAL_AFTER_NANOS) {
                drainHere();
                since = System.nanoTime();
            } else {
                idle.idle();
            }
        }
        return -1;
    }

    /**
     * Consumer thread: a closed subscription's window is stalled. This event, later ones still in its window, and the
     * window's entries an offloaded drain has not started are counted as dropped, never delivered. On an object
     * topic the window then stops gating the ring (a handler that never returns must not hold publishers; the
     * window holds the event objects, not the slots). On a preallocated topic the slot is the event, and the stuck
     * handler (or a stage still running) may be reading it: the window keeps gating, so the ring waits for that
     * handler as it would for a stuck inline one.
     */
    private void giveUp() {
        abandoned = true;
        count(dropped);
        if (topic.byType) {
            topic.removeGating(window.gating());
        }
        EventBusImpl.LOG.warn("Subscription '{}' on topic '{}' was closed with a full window that made no progress"
                + " for {} ms; events still owed to it are dropped", name, topic.name,
                TimeUnit.NANOSECONDS.toMillis(CLOSED_STALL_NANOS));
    }

    /** Consumer: is the retire of a closed subscription due? ({@code done} = the consumer's position) */
    void retireIfPassed(long done) {
        if (done >= endSeq) {
            retire();
        }
    }

    void afterBatch(long done) {
        if (window != null) {
            window.advanceTo(done);
        }
        if (done >= endSeq) {
            retire();
        }
    }

    /**
     * Lossy consumer: reading slot {@code seq} (the topic's copier) threw, and the slot was not overwritten meanwhile.
     * Counted as failed and given to the error policy (after retries: the handler never ran, there is nothing to
     * retry), with the ring slot as the event.
     */
    void readFailed(Object slot, long seq, Throwable error) {
        if (inWindowPlain(seq)) {
            fail(slot, seq, error);
        }
    }

    void countDropped(long from, long to) {
        long lo = Math.max(from, startSeq);
        long hi = Math.min(to, endSeq);
        if (hi >= lo) {
            long total = dropped.getAndAddRelease(hi - lo + 1) + (hi - lo + 1);
            lossyDrops.dropped(total);
        }
    }

    // ---- delivery ----

    private void invoke(Object event, long seq) {
        try {
            handler.onEvent(event);
        } catch (Throwable t) {
            Thread.interrupted();
            retryOrFail(event, seq, t);
            return;
        }
        // a flag the handler restored must reach neither the next handler nor the wait: the caller clears it after
        // this returns (the consumer loop, reading its own thread's flag, or the drain)
        count(delivered);
    }

    /** The handler threw: retries (parking this thread between attempts) as the policy says, then fails. */
    private void retryOrFail(Object event, long seq, Throwable error) {
        for (int attempt = 0; policy.kind() == ErrorPolicy.Kind.RETRY && attempt < policy.retries()
                && !topic.halted(); attempt++) {
            LockSupport.parkNanos(policy.backoffNanos(attempt));
            try {
                handler.onEvent(event);
            } catch (Throwable t) {
                Thread.interrupted();
                error = t;
                continue;
            }
            Thread.interrupted();
            count(delivered);
            return;
        }
        fail(event, seq, error);
    }

    private void fail(Object event, long seq, Throwable error) {
        long n = count(failed);
        ErrorPolicy p = policy.afterRetries();
        switch (p.kind()) {
            case DEAD_LETTER -> {
                try {
                    p.sink().accept(name, event, error);
                } catch (Throwable t) {
                    Thread.interrupted();
                    logSafely("Dead-letter sink of subscription '" + name + "' threw", t);
                }
            }
            case STOP -> {
                end(seq);
                logSafely("Subscription '" + name + "' on topic '" + topic.name + "' stopped by its error policy",
                        error);
            }
            default -> {
                if (n == 1 || (n & 1023) == 0) {
                    logSafely("Subscription '" + name + "' on topic '" + topic.name + "': handler failed (" + n
                            + " failure(s) so far)", error);
                }
            }
        }
    }

    /** Logs a warning with {@code error}; if rendering the error throws, logs its class name instead. Never throws. */
    static void logSafely(String message, Throwable error) {
        io.vela.engine.internal.Logging.warnQuietly(EventBusImpl.LOG, message, error);
    }

    private long count(AtomicCounter counter) {
        return (inline ? counter.incrementRelease() : counter.getAndAdd(1L)) + 1;
    }

    /**
     * Frees this subscription's counters once nothing counts on it any more (it has finished: retired, window
     * drained); its stats keep their final values on the heap.
     */
    private void releaseCounters() {
        CounterFactory counters = topic.bus.counters;
        delivered = moveToHeap(delivered, counters);
        filtered = moveToHeap(filtered, counters);
        dropped = moveToHeap(dropped, counters);
        failed = moveToHeap(failed, counters);
    }

    private static AtomicCounter moveToHeap(AtomicCounter c, CounterFactory counters) {
        AtomicCounter heap = CounterFactory.heapCounter();
        heap.setRelease(c.get());
        counters.free(c);
        return heap;
    }

    private void schedule() {
        if (SCHEDULED.compareAndSet(this, false, true) && !topic.bus.offer(drainTask)) {
            drain(); // the executor is full or closed: deliver on the consumer thread, never wait for it
        }
    }

    /**
     * Offloaded: the drain task, on the executor (or the consumer when the executor refused it). {@code scheduled}
     * is set from the hand-off until the drain has emptied the window; {@code drainer} makes one drain run at a time.
     */
    private void drain() {
        while (true) {
            // another holder is the consumer, which took over a drain that had not started: it drains every entry
            // pushed so far (it pushes none meanwhile)
            boolean ran = drainIfFree();
            scheduled = false;
            if (ran) {
                finishIfDrained();
            }
            // an entry pushed while `scheduled` was still set got no drain of its own: if one is left and nobody
            // drains, go on (the consumer writes tail, then reads scheduled; we write scheduled, then read tail)
            if (topic.halted() || drainer != null || window.pending() == 0
                    || !SCHEDULED.compareAndSet(this, false, true)) {
                return;
            }
        }
    }

    /** Consumer thread, window full: runs the drain here unless one is running. */
    private void drainHere() {
        if (drainIfFree()) {
            finishIfDrained();
        }
    }

    /** @return false if another thread is draining; true once this one has drained the window up to its tail */
    private boolean drainIfFree() {
        if (!DRAINER.compareAndSet(this, null, Thread.currentThread())) {
            return false;
        }
        topic.enterDelivery();
        try {
            drainEntries();
        } finally {
            drainer = null;
            topic.exitDelivery();
        }
        return true;
    }

    /** Under {@code drainer}: delivers the window's entries up to its tail; returns the next index. */
    private long drainEntries() {
        long i = drainNext;
        long t = window.tail();
        while (i < t && !topic.halted()) {
            long seq = window.seq(i);
            if (!inWindow(seq)) {
                // closed before it: not owed
            } else if (abandoned) {
                count(dropped);
            } else {
                invoke(window.event(i), seq);
                Thread.interrupted();
            }
            window.complete(i);
            drainNext = ++i;
        }
        return i;
    }

    private void callAsync(long index, Object event, long seq, int attempt) {
        CompletionStage<?> stage = null;
        Throwable error = null;
        try {
            stage = asyncHandler.onEvent(event);
            if (stage == null) {
                error = new NullPointerException("async handler of '" + name + "' returned null");
            }
        } catch (Throwable t) {
            error = t;
        }
        Thread.interrupted(); // as for inline handlers
        if (error == null) {
            Completion done = new Completion(index, event, seq, attempt);
            try {
                stage.whenComplete(done);
                return;
            } catch (Throwable t) { // a user's CompletionStage whose whenComplete throws: never lose the slot
                if (!done.compareAndSet(false, true)) {
                    return; // it had called the action before throwing: the entry is accounted for
                }
                error = t;
            }
        }
        asyncFailed(index, event, seq, attempt, error);
    }

    /**
     * An async stage's completion action: acts once however often a faulty user stage calls it (a second call would
     * count the event twice and complete another entry of the window). Replaces the per-event lambda: no added
     * allocation.
     */
    private final class Completion extends AtomicBoolean implements BiConsumer<Object, Throwable> {
        private final long index;
        private final Object event;
        private final long seq;
        private final int attempt;

        Completion(long index, Object event, long seq, int attempt) {
            this.index = index;
            this.event = event;
            this.seq = seq;
            this.attempt = attempt;
        }

        @Override
        public void accept(Object result, Throwable t) {
            if (get() || !compareAndSet(false, true)) {
                return;
            }
            if (t == null) {
                count(delivered);
                complete(index);
            } else {
                asyncFailed(index, event, seq, attempt, t instanceof CompletionException && t.getCause() != null
                        ? t.getCause() : t);
            }
        }
    }

    private void asyncFailed(long index, Object event, long seq, int attempt, Throwable error) {
        if (policy.kind() == ErrorPolicy.Kind.RETRY && attempt < policy.retries() && !topic.halted()) {
            Runnable again = () -> {
                topic.enterDelivery(); // it may publish into this topic: waitsForItself must know this thread
                try {
                    callAsync(index, event, seq, attempt + 1);
                } finally {
                    topic.exitDelivery();
                }
            };
            Runnable handOff = () -> {
                if (topic.halted()) {
                    complete(index); // the halting shutdown counted it as not delivered
                } else if (!topic.bus.offer(again)) {
                    retryRefused(index, event, seq, error);
                }
            };
            try {
                // the JDK's delay thread only hands the retry to the executor, without waiting
                CompletableFuture.delayedExecutor(policy.backoffNanos(attempt), TimeUnit.NANOSECONDS, DIRECT)
                        .execute(handOff);
            } catch (Throwable t) {
                retryRefused(index, event, seq, error);
            }
            return;
        }
        failOffConsumer(event, seq, error);
        complete(index);
    }

    /**
     * {@link #fail} on a thread that is not this topic's consumer (a stage's completing thread, the JDK's delay
     * thread): marked as delivering for the topic, so that a dead-letter sink publishing into it while the entry
     * still holds the ring is refused instead of waiting for itself.
     */
    private void failOffConsumer(Object event, long seq, Throwable error) {
        topic.enterDelivery();
        try {
            fail(event, seq, error);
        } finally {
            topic.exitDelivery();
        }
    }

    /** An async retry the executor refused: fails for good (counted, the policy's fallback), slot released. */
    private void retryRefused(long index, Object event, long seq, Throwable error) {
        long n = failed.get() + 1;
        if (n == 1 || (n & 1023) == 0) {
            EventBusImpl.LOG.warn("Subscription '{}' on topic '{}': the executor refused an async retry; the event"
                    + " fails without it", name, topic.name);
        }
        failOffConsumer(event, seq, error);
        complete(index);
    }

    private void complete(long index) {
        window.complete(index);
        finishIfDrained();
    }

    // ---- lifecycle ----

    private void endAt(long seq) {
        while (true) {
            long e = endSeq;
            if (seq >= e || END_SEQ.compareAndSet(this, e, seq)) {
                return;
            }
        }
    }

    /** Ends the window at the cursor: see {@link #end}. */
    @Override
    public void close() {
        end(topic.cursor());
    }

    /**
     * Ends the window at {@code seq} (a close, or the stop policy). Retires at once if the delivering thread is
     * already past it and not delivering a batch that reaches beyond it (a closer that read the cursor, then was
     * preempted, must not retire a subscription whose next event's handler is running); otherwise that thread
     * retires it when it gets there, and is woken now in case it is idle: both
     * sides may have read before the other's write (the consumer reads the end once per batch, before publishing its
     * position), and without the wake-up an idle topic would never retire it.
     */
    void end(long seq) {
        endAt(seq);
        long end = endSeq;
        if (position.get() >= end && delivering.get() <= end) {
            retire();
        } else {
            // the delivering thread is short of the end, or in (or past) a batch that may have read the end before
            // it was set: it retires this subscription after that batch (ConsumerThread.delivering)
            topic.wake(this);
        }
    }

    /** Consumer, at the start of a batch: a volatile read of the end (see {@code ConsumerThread.beginBatch}). */
    long readEnd() {
        return endSeq;
    }

    private void retire() {
        if (RETIRED.compareAndSet(this, false, true)) {
            topic.remove(this);
            finishIfDrained();
        }
    }

    private void finishIfDrained() {
        if (retired && (window == null || window.pending() == 0) && FINISHED.compareAndSet(this, false, true)) {
            if (window != null) {
                topic.removeGating(window.gating());
                topic.drained(this);
            }
            releaseCounters();
            if (topic.bus.isConsumerThread(Thread.currentThread())) {
                // completing runs the user's dependent stages: they must not hold that consumer's subscriptions
                topic.bus.completeElsewhere(terminated);
            } else {
                terminated.complete(null);
            }
        }
    }

    /**
     * Ends the subscription for a bus that has shut down.
     *
     * @return the {@code terminated} future still to complete, or null: the closing thread hands the completions to
     *         another thread, because completing runs the user's dependent stages, which might not return
     */
    CompletableFuture<Void> busClosed() {
        endAt(-1);
        RETIRED.setVolatile(this, true);
        return FINISHED.compareAndSet(this, false, true) ? terminated : null;
    }

    // ---- Subscription / SubscriberStats ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeliveryMode mode() {
        return mode;
    }

    @Override
    public boolean lossy() {
        return lossy;
    }

    @Override
    public boolean isActive() {
        return endSeq == Long.MAX_VALUE && !retired;
    }

    @Override
    public SubscriberStats stats() {
        return this;
    }

    @Override
    public CompletionStage<Void> terminated() {
        return terminated.minimalCompletionStage();
    }

    @Override
    public long delivered() {
        return delivered.get();
    }

    @Override
    public long filteredOut() {
        return filtered.get();
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public long failed() {
        return failed.get();
    }

    @Override
    public long inFlight() {
        return window == null ? 0 : window.pending();
    }

    @Override
    public long lag() {
        long pos = Math.max(position.get(), startSeq - 1);
        return Math.max(0, topic.cursor() - pos);
    }

    @Override
    public String toString() {
        return "subscription " + name + " (" + mode.name().toLowerCase(java.util.Locale.ROOT) + (lossy ? ", lossy"
                : "") + "): delivered " + delivered() + ", filtered " + filteredOut() + ", dropped " + dropped()
                + ", failed " + failed() + ", lag " + lag();
    }
}
