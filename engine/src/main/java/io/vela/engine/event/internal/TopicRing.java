package io.vela.engine.event.internal;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.vela.engine.OfferResult;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingClosedException;
import io.vela.engine.RingFullException;
import io.vela.engine.event.EventBusException;
import io.vela.engine.event.TopicStats;
import io.vela.engine.internal.FullRingBackoff;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One topic: a multi-producer Disruptor ring, its lossless consumer threads (each gating the ring), an optional
 * lossy consumer thread (not gating) and the subscription snapshot.
 *
 * <pre>
 *   publishers ──claim/fill/publish──▶ [ ring ] ──▶ consumer 0: subs a, b, c (inline; offloaded ones push to a window)
 *                                              ├──▶ consumer 1: subs d, e
 *                                              └┄┄▶ lossy consumer: subs f (never gates; detects overwrite)
 * </pre>
 *
 * <p>Publishing ({@link #claim()}, {@link #commit(long)}) may be called from any thread (from one thread only on a
 * single-publisher topic, which uses the Disruptor's single-producer sequencer) and allocates nothing
 * unless the ring is full under a throwing policy. No accepted event is lost to a racing close: a publisher re-reads
 * {@code closed} after claiming; if the bus is closing it publishes the slot as cancelled (consumers skip it) and
 * throws, otherwise the close began after the claim and its drain covers the slot.
 *
 * <p>Refusals are {@link RingFullException} / {@link RingClosedException} (or {@link OfferResult} codes from the
 * {@code try} forms). A thread that the ring waits for — one of this topic's consumer threads, or a thread running
 * one of its offloaded drains or async retries ({@link #enterDelivery()}) — never waits for a slot: on a full ring it is refused at once, whatever
 * the overflow policy, because waiting would wait for itself. Any other publisher waiting on a full ring under
 * {@code block} / {@code block-timeout} backs off with Agrona's {@link BackoffIdleStrategy} (one per publishing
 * thread, made on its first wait and reset on each one, so that waiting allocates nothing) and is refused when
 * interrupted (flag kept set).
 */
final class TopicRing implements TopicStats {
    /** {@link #tryClaim()}'s code for a full ring. */
    static final long FULL = -1;
    /** {@link #tryClaim()}'s code for a closed ring. */
    static final long CLOSED = -2;

    final String name;
    final boolean byType;
    final RingBuffer<Object> ring;
    final int size;
    final EventBusImpl bus;
    final BiConsumer<Object, Object> copier;
    final Supplier<?> factory;
    private final int mask;
    private final byte[] cancelled;
    private final OverflowPolicy overflow;
    private final long blockTimeoutNanos;
    final Consumer[] consumers;
    /**
     * The consumers' threads, for the full-ring path's "does this thread wait for itself?" check: an array of its
     * own so that the check reads nothing a consumer writes per event (no false sharing with the hot path).
     */
    private final Thread[] consumerThreads;
    /**
     * Deliveries running now outside the consumer threads — offloaded drains and async retries (padded: written by
     * executor threads, read on the full-ring path).
     */
    private final Sequence drainsRunning = new Sequence(0);
    private volatile LossyConsumer lossy;
    private volatile Snapshot snapshot;
    /**
     * Closed offloaded/async subscriptions, out of the snapshot, whose windows still hold entries: the shutdown waits
     * for them, counts them and ends them like the snapshot's (copy on write, under {@link #lock}).
     */
    private volatile Subscriber[] draining = Snapshot.NONE;
    private final Object lock = new Object();
    private volatile boolean closed;
    final boolean singlePublisher;
    private volatile Thread publisher;
    /**
     * A single-publisher topic's publisher's own cache line (padded; beside fields consumers read): its highest
     * claimed slot, written per publish, and the last slot it published or cancelled.
     */
    private final PublisherLine line = new PublisherLine();
    private volatile boolean halted;
    /** Publishers refused (any publisher: getAndAdd); in the runtime's counters file, or on the heap. */
    private final AtomicCounter rejected;
    private final io.vela.engine.internal.jfr.RejectionEvents rejections;
    private final AtomicLong cancelledCount = new AtomicLong();
    private final AtomicLong subscriptionIds = new AtomicLong();
    /** Events no subscription took: counted by consumer 0 only (release stores); in the counters file. */
    private final AtomicCounter dead;

    @SuppressWarnings("unchecked")
    TopicRing(EventBusImpl bus, String name, boolean byType, Supplier<?> factory, BiConsumer<?, ?> copier,
            boolean singlePublisher) {
        this.bus = bus;
        this.name = name;
        this.rejections = new io.vela.engine.internal.jfr.RejectionEvents("topic " + name);
        this.rejected = bus.counters.newCounter(io.vela.engine.counters.CounterTypes.TOPIC, name, "rejected");
        this.dead = bus.counters.newCounter(io.vela.engine.counters.CounterTypes.TOPIC, name, "dead");
        this.byType = byType;
        this.factory = factory;
        this.copier = (BiConsumer<Object, Object>) copier;
        this.size = bus.ringSize;
        this.mask = size - 1;
        this.cancelled = new byte[size];
        this.overflow = bus.overflow;
        this.blockTimeoutNanos = bus.blockTimeoutNanos;
        this.singlePublisher = singlePublisher;
        this.ring = singlePublisher
                ? RingBuffer.createSingleProducer(factory::get, size, bus.waitStrategy.newRingStrategy())
                : RingBuffer.createMultiProducer(factory::get, size, bus.waitStrategy.newRingStrategy());
        this.consumers = new Consumer[bus.consumerThreads];
        this.snapshot = Snapshot.empty(consumers.length);
        for (int i = 0; i < consumers.length; i++) {
            consumers[i] = new Consumer(this, i, ring.newBarrier());
            ring.addGatingSequences(consumers[i].sequence);
        }
        this.consumerThreads = new Thread[consumers.length];
        for (Consumer c : consumers) {
            consumerThreads[c.index] = c.start(bus.threadFactory, bus.prefix + "-events-" + name + "-" + c.index);
        }
    }

    // ---- publishing (any thread) ----

    long claim() {
        if (singlePublisher) {
            checkSinglePublisher(1);
        }
        if (closed) {
            refused(1);
            throw closedException();
        }
        long seq;
        try {
            seq = ring.tryNext();
        } catch (InsufficientCapacityException full) {
            seq = claimSlow();
        }
        return claimed(seq);
    }

    /**
     * {@link #claim()} without waiting or throwing on refusal (a single-publisher topic still throws
     * {@link EventBusException} for a second publishing thread: that is a usage error, not a refusal).
     *
     * @return the claimed sequence, or {@link #FULL} or {@link #CLOSED}
     */
    long tryClaim() {
        if (singlePublisher) {
            checkSinglePublisher(1);
        }
        if (closed) {
            refused(1);
            return CLOSED;
        }
        try {
            return claimed(ring.tryNext());
        } catch (InsufficientCapacityException full) {
            refused(1);
            return FULL;
        }
    }

    /** @return the refusal for a {@link #tryClaim()} code below zero */
    static OfferResult refusal(long code) {
        return code == FULL ? OfferResult.FULL : OfferResult.CLOSED;
    }

    /**
     * Claims {@code n} consecutive slots at once (one claim, one close-protocol fence for the whole batch) under the
     * overflow policy, applied to the batch as a whole: it waits (or is refused) until all {@code n} are free.
     *
     * @param n slots, 1 to the ring's size ({@link #checkBatch} first)
     * @return the highest claimed sequence; the batch is {@code [hi - n + 1, hi]}
     */
    long claimBatch(int n) {
        if (singlePublisher) {
            checkSinglePublisher(n);
        }
        if (closed) {
            refused(n);
            throw closedException();
        }
        long hi;
        try {
            hi = ring.tryNext(n);
        } catch (InsufficientCapacityException full) {
            hi = claimSlow(n);
        }
        return claimed(hi);
    }

    /**
     * {@link #claimBatch(int)} without waiting or throwing on refusal: all {@code n} slots or none.
     *
     * @return the highest claimed sequence, or {@link #FULL} or {@link #CLOSED}
     */
    long tryClaimBatch(int n) {
        if (singlePublisher) {
            checkSinglePublisher(n);
        }
        if (closed) {
            refused(n);
            return CLOSED;
        }
        try {
            return claimed(ring.tryNext(n));
        } catch (InsufficientCapacityException full) {
            refused(n);
            return FULL;
        }
    }

    /**
     * Checks a batch's bounds; a batch larger than the ring is refused by name (it could never be claimed at once,
     * and splitting it would break its all-or-nothing acceptance).
     *
     * @return {@code count}
     * @throws EventBusException if {@code [from, from + count)} is not within an array of {@code length}, or
     *                           {@code count} exceeds the ring's size
     */
    int checkBatch(int length, int from, int count) {
        if (from < 0 || count < 0 || from > length - count) {
            throw new EventBusException("batch [from = " + from + ", count = " + count
                    + ") is not within an array of length " + length);
        }
        if (count > size) {
            throw new EventBusException("batch of " + count + " events is larger than topic '" + name + "' ring ("
                    + "events.ring-size = " + size + "); a batch is accepted whole or not at all: publish at most "
                    + size + " at a time, or raise events.ring-size");
        }
        return count;
    }

    private void refused(long n) {
        rejections.rejected(rejected.getAndAdd(n) + n);
    }

    private long claimed(long seq) {
        if (singlePublisher) {
            // a single-producer cursor shows only published slots; the drain after close must see claimed ones
            // too. Volatile store before commit's re-read of closed: either close sees this claim, or we see close.
            line.claimed = seq;
        }
        return seq;
    }

    /** @return the highest claimed sequence (published or not) */
    long claimedCursor() {
        long c = ring.getCursor();
        return singlePublisher ? Math.max(c, line.claimed) : c;
    }

    /**
     * A single-publisher topic: the calling thread must be its publisher, and must not be inside one of its own
     * translators — a nested claim on the single-producer sequencer would publish past the outer claim's slots
     * before they are written (and the outer publish would then move the cursor back). Outside a publish the
     * publisher's claimed sequence equals its settled one; both are written only by this thread, on one line no
     * other thread writes, so the check costs two loads of a line the publish writes anyway.
     *
     * @param n events the refused publish carries (each counts as rejected)
     */
    private void checkSinglePublisher(int n) {
        if (publisher != Thread.currentThread()) {
            checkPublisher(n);
        }
        if (line.claimed != line.settled) {
            refused(n);
            throw new EventBusException("topic '" + name + "' has a single publisher, and thread "
                    + Thread.currentThread().getName() + " published on it from inside one of its translators: a "
                    + "nested publish would publish the outer slots before they are written; publish after the "
                    + "translator returns, or use a multi-publisher topic");
        }
    }

    /** @param n events the refused publish carries (each counts as rejected, as for any refused batch) */
    private void checkPublisher(int n) {
        Thread me = Thread.currentThread();
        synchronized (lock) {
            if (publisher == null) {
                publisher = me;
                return;
            }
        }
        refused(n);
        throw new EventBusException("topic '" + name + "' has a single publisher (" + publisher.getName()
                + "); thread " + me.getName() + " may not publish on it");
    }

    private long claimSlow() {
        return claimSlow(1);
    }

    /** The ring had fewer than {@code n} free slots: the overflow policy decides (for the whole batch). */
    private long claimSlow(int n) {
        if (overflow == OverflowPolicy.FAIL_FAST) {
            throw full(n, "is full (" + size + " slots; events.overflow = fail-fast)" + wanted(n));
        }
        if (waitsForItself()) {
            throw full(n, "is full (" + size + " slots)" + wanted(n) + " and thread "
                    + Thread.currentThread().getName()
                    + " handles its events: it may not wait for a slot it would have to free itself");
        }
        long deadline = overflow == OverflowPolicy.BLOCK_TIMEOUT ? System.nanoTime() + blockTimeoutNanos : 0;
        IdleStrategy idle = FullRingBackoff.get();
        while (true) {
            if (closed) {
                refused(n);
                throw closedException();
            }
            try {
                return ring.tryNext(n);
            } catch (InsufficientCapacityException full) {
                if (deadline != 0 && System.nanoTime() - deadline > 0) {
                    throw full(n, "stayed full for " + (blockTimeoutNanos / 1_000_000) + " ms (" + size + " slots)"
                            + wanted(n));
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw full(n, "is full (" + size + " slots)" + wanted(n)
                            + " and the waiting publisher was interrupted");
                }
                idle.idle();
            }
        }
    }

    /** For refusal messages only (built when throwing: the waiting loop allocates nothing). */
    private static String wanted(int n) {
        return n == 1 ? "" : " for a batch of " + n;
    }

    private RingFullException full(long n, String why) {
        refused(n);
        return new RingFullException("events-" + name, size, "event topic '" + name + "' " + why);
    }

    /**
     * @return true if the calling thread is one the ring waits for: a consumer, or a thread running one of this
     *         topic's offloaded drains or async retries (whether or not its subscription is still subscribed)
     */
    private boolean waitsForItself() {
        Thread me = Thread.currentThread();
        return isLosslessConsumer(me) || drainsRunning.get() > 0 && DELIVERING.get().has(this);
    }

    private boolean isLosslessConsumer(Thread me) {
        for (Thread t : consumerThreads) {
            if (t == me) {
                return true;
            }
        }
        return false;
    }

    /** @return true if {@code t} is one of this topic's consumer threads, lossless or lossy */
    boolean isConsumerThread(Thread t) {
        LossyConsumer l = lossy;
        return isLosslessConsumer(t) || l != null && l.runsOn(t);
    }

    /**
     * @return true if the calling thread delivers this topic's events: one of its consumer threads, or a thread
     *         running one of its offloaded drains or async retries (slow path: a shutdown asks it once per topic)
     */
    boolean deliversOnCallingThread() {
        return isConsumerThread(Thread.currentThread()) || DELIVERING.get().has(this);
    }

    /**
     * The calling thread starts delivering this topic's events outside its consumer threads (an offloaded drain or an
     * async retry); pair with {@link #exitDelivery()} in a {@code finally}. Slow paths only: once per drain or retry.
     */
    void enterDelivery() {
        drainsRunning.addAndGet(1);
        DELIVERING.get().push(this);
    }

    /** The calling thread's delivery begun by {@link #enterDelivery()} ends. */
    void exitDelivery() {
        DELIVERING.get().pop();
        drainsRunning.addAndGet(-1);
    }

    /** The topics whose deliveries each thread is running outside their consumers (nested: a stack). */
    private static final ThreadLocal<Delivering> DELIVERING = ThreadLocal.withInitial(Delivering::new);

    /** One thread's stack of topics it delivers for; allocates only to grow. */
    private static final class Delivering {
        private TopicRing[] topics = new TopicRing[2];
        private int depth;

        void push(TopicRing t) {
            if (depth == topics.length) {
                topics = java.util.Arrays.copyOf(topics, depth * 2);
            }
            topics[depth++] = t;
        }

        void pop() {
            topics[--depth] = null;
        }

        boolean has(TopicRing t) {
            for (int i = 0; i < depth; i++) {
                if (topics[i] == t) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Publishes a filled slot, or, if the bus began closing meanwhile, publishes it as cancelled and throws. */
    void commit(long seq) {
        if (!tryCommit(seq)) {
            throw closedException();
        }
    }

    /** @return true if published; false if the bus began closing meanwhile (the slot is published as cancelled) */
    boolean tryCommit(long seq) {
        int i = (int) seq & mask;
        if (closed) {
            cancel(seq);
            return false;
        }
        if (cancelled[i] != 0) {
            cancelled[i] = 0; // written only when set: a store per publish would bounce the line to consumers
        }
        settle(seq);
        ring.publish(seq);
        return true;
    }

    /**
     * Publishes the filled batch {@code [lo, hi]} with one publish of the range, or, if the bus began closing
     * meanwhile, publishes it whole as cancelled and throws: all or nothing, as for one slot.
     */
    void commitBatch(long lo, long hi) {
        if (!tryCommitBatch(lo, hi)) {
            throw closedException();
        }
    }

    /** @return true if the batch {@code [lo, hi]} was published; false if it was published as cancelled (closing) */
    boolean tryCommitBatch(long lo, long hi) {
        if (closed) {
            cancelBatch(lo, hi);
            return false;
        }
        for (long seq = lo; seq <= hi; seq++) {
            int i = (int) seq & mask;
            if (cancelled[i] != 0) {
                cancelled[i] = 0;
            }
        }
        settle(hi);
        ring.publish(lo, hi);
        return true;
    }

    /** Publishes the claimed batch {@code [lo, hi]} as cancelled (a close race, or a translator that threw). */
    void cancelBatch(long lo, long hi) {
        for (long seq = lo; seq <= hi; seq++) {
            cancelled[(int) seq & mask] = 1;
        }
        long n = hi - lo + 1;
        cancelledCount.addAndGet(n);
        refused(n);
        settle(hi);
        ring.publish(lo, hi);
    }

    /** A single-publisher topic's publisher is done with its claim up to {@code seq} (see {@link PublisherLine}). */
    private void settle(long seq) {
        if (singlePublisher) {
            line.settled = seq;
        }
    }

    /** Publishes a claimed slot as cancelled (consumers skip it); for a close race or a failed translator. */
    void cancel(long seq) {
        cancelled[(int) seq & mask] = 1;
        cancelledCount.incrementAndGet();
        refused(1);
        settle(seq);
        ring.publish(seq);
    }

    void publishObject(Object event) {
        long seq = claim();
        ((ObjectSlot) ring.get(seq)).event = event;
        commit(seq);
    }

    OfferResult tryPublishObject(Object event) {
        long seq = tryClaim();
        if (seq < 0) {
            return refusal(seq);
        }
        ((ObjectSlot) ring.get(seq)).event = event;
        return tryCommit(seq) ? OfferResult.ACCEPTED : OfferResult.CLOSED;
    }

    RingClosedException closedException() {
        return closedException(name, size);
    }

    static RingClosedException closedException(String name, int size) {
        return new RingClosedException("events-" + name, size, "event bus is closed; topic '" + name
                + "' accepts no events");
    }

    // ---- consumer side ----

    boolean isCancelled(long seq) {
        return cancelled[(int) seq & mask] != 0;
    }

    /** @return the event in slot {@code seq}: the object event, or the slot itself for a preallocated topic */
    Object eventAt(long seq) {
        Object slot = ring.get(seq);
        return byType ? ((ObjectSlot) slot).event : slot;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    boolean halted() {
        return halted;
    }

    boolean closed() {
        return closed;
    }

    void countDead(long n) {
        dead.getAndAddRelease(n);
    }

    // ---- subscriptions ----

    Subscriber subscribe(Subscriber.Spec spec) {
        synchronized (lock) {
            if (closed) {
                throw new EventBusException("event bus is closed; cannot subscribe to topic '" + name + "'");
            }
            String n = spec.name != null ? spec.name
                    : (byType ? spec.type.getSimpleName() : name) + "#" + subscriptionIds.incrementAndGet();
            Subscriber s;
            if (spec.lossy) {
                LossyConsumer l = lossy;
                if (l == null) {
                    l = new LossyConsumer(this, ring.getCursor() + 1);
                    l.start(bus.threadFactory, bus.prefix + "-events-" + name + "-lossy");
                    lossy = l;
                }
                s = new Subscriber(this, spec, n, ring.getCursor() + 1, l.sequence, l.delivering, null, -1);
            } else {
                int idx = spec.consumerIndex >= 0 ? spec.consumerIndex : leastLoaded();
                if (idx >= consumers.length) {
                    throw new EventBusException("consumerThread = " + idx + " is invalid; topic '" + name
                            + "' has " + consumers.length + " consumer thread(s) (events.consumer-threads)");
                }
                if (spec.mode == io.vela.engine.event.DeliveryMode.INLINE) {
                    s = new Subscriber(this, spec, n, ring.getCursor() + 1, consumers[idx].sequence,
                            consumers[idx].delivering, null, idx);
                } else {
                    Sequence gating = new Sequence();
                    ring.addGatingSequences(gating);
                    // the consumer pushes into the window after its end check: a closer must see that batch too
                    s = new Subscriber(this, spec, n, gating.get() + 1, gating, consumers[idx].delivering, gating,
                            idx);
                }
            }
            snapshot = snapshot.with(s);
            if (s.windowed()) {
                // its gating sequence holds the ring since it was added: a consumer that delivered a ring's worth of
                // events with the snapshot before this one waits for a publisher that waits for that sequence, so
                // it is prompted to bring the new subscription's window up to its position
                wake(s);
            }
            return s;
        }
    }

    private int leastLoaded() {
        Snapshot snap = snapshot;
        int best = 0;
        for (int i = 1; i < consumers.length; i++) {
            if (snap.perConsumer[i].length < snap.perConsumer[best].length) {
                best = i;
            }
        }
        return best;
    }

    /** A retired subscription leaves the snapshot; one whose window is not finished goes to {@link #draining}. */
    void remove(Subscriber s) {
        synchronized (lock) {
            snapshot = snapshot.without(s);
            if (s.windowed() && !s.finished()) {
                draining = Snapshot.append(draining, s);
            }
        }
    }

    /** A retired subscription's window has drained (or the bus closed): it leaves {@link #draining}. */
    void drained(Subscriber s) {
        synchronized (lock) {
            for (Subscriber d : draining) {
                if (d == s) {
                    draining = Snapshot.remove(draining, s);
                    return;
                }
            }
        }
    }

    /** @return the subscriptions a shutdown waits for, counts and ends: the snapshot's, then the draining ones */
    private Subscriber[][] accountable() {
        return new Subscriber[][] {snapshot.all, draining};
    }

    /**
     * Prompts the thread that delivers {@code s} to re-check which of its subscriptions have passed their end: a
     * subscription closed while that thread is idle would otherwise wait for the next event to be retired.
     */
    void wake(Subscriber s) {
        if (s.lossy()) {
            LossyConsumer l = lossy;
            if (l != null) {
                l.alert();
            }
        } else {
            consumers[s.consumerIndex()].alert();
        }
    }

    void removeGating(Sequence gating) {
        ring.removeGatingSequence(gating);
    }

    long cursor() {
        return ring.getCursor();
    }

    // ---- shutdown (closing thread) ----

    void beginClose() {
        synchronized (lock) {
            closed = true;
        }
        for (Consumer c : consumers) {
            c.alert();
        }
        LossyConsumer l = lossy;
        if (l != null) {
            l.alert();
        }
    }

    /**
     * @param end a {@link System#nanoTime()} deadline
     * @return true if every lossless consumer and every offloaded/async window drained before {@code end}; false
     *         at the deadline or as soon as the topic is halted (by a close that gave up)
     * @throws InterruptedException if the closing thread is interrupted
     */
    boolean awaitDrained(long end) throws InterruptedException {
        for (Consumer c : consumers) {
            while (!c.join(Math.min(end, System.nanoTime() + POLL_NANOS))) {
                if (halted || System.nanoTime() - end >= 0) {
                    return false;
                }
            }
        }
        IdleStrategy idle = FullRingBackoff.create();
        while (true) {
            if (inFlight() == 0) {
                return true;
            }
            if (halted || System.nanoTime() - end >= 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            idle.idle();
        }
    }

    /** How often a closing thread waiting for a consumer looks whether another close halted the bus. */
    private static final long POLL_NANOS = 10_000_000;

    /**
     * Joins the lossy consumer in {@link #POLL_NANOS} steps until {@code end}, and gives up early once the topic is
     * halted (a later, shorter shutdown halted it: this one must return too).
     *
     * @return true if it ended
     */
    private boolean joinLossy(LossyConsumer l, long end) throws InterruptedException {
        while (!l.join(Math.min(end, System.nanoTime() + POLL_NANOS))) {
            if (halted || System.nanoTime() - end >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops every consumer where it is (interrupting its thread: a handler still running is prompted to return;
     * the consumer takes the interrupt only as a prompt to look at the halt flag), waits for them until
     * {@code joinEnd}, and counts the (event, lossless subscription) deliveries that did not happen. Counts by type
     * and subscription window; filters are not evaluated, and a handler still running when its consumer is counted
     * may yet complete, so the count is an upper bound. Idempotent; any thread.
     */
    long halt(long joinEnd) throws InterruptedException {
        halted = true;
        for (Consumer c : consumers) {
            c.alert();
            c.interrupt();
        }
        LossyConsumer l = lossy;
        if (l != null) {
            l.alert();
            l.interrupt();
        }
        for (Consumer c : consumers) {
            c.join(joinEnd);
        }
        Snapshot snap = snapshot;
        long cursor = claimedCursor();
        long missed = 0;
        for (Consumer c : consumers) {
            for (long seq = c.sequence.get() + 1; seq <= cursor; seq++) {
                if (!ring.isAvailable(seq) || isCancelled(seq)) {
                    continue;
                }
                Object ev = eventAt(seq);
                for (Subscriber s : snap.perConsumer[c.index]) {
                    if (s.inWindow(seq) && (ev == null || s.matchesType(ev.getClass()))) {
                        missed++;
                    }
                }
            }
        }
        return missed + inFlight();
    }

    /** @return the entries in the windows of the snapshot's and the draining subscriptions */
    private long inFlight() {
        long n = 0;
        for (Subscriber[] subs : accountable()) {
            for (Subscriber s : subs) {
                n += s.inFlight();
            }
        }
        return n;
    }

    /**
     * Waits for the lossy consumer until {@code joinEnd} (then halts it: a lossy handler that does not return must not
     * keep its thread delivering after the close), and ends every subscription.
     *
     * @param terminated receives the {@code terminated} futures still to complete
     */
    void finish(long joinEnd, List<CompletableFuture<Void>> terminated) throws InterruptedException {
        LossyConsumer l = lossy;
        if (l != null && !joinLossy(l, joinEnd)) {
            halted = true;
            l.alert();
            l.interrupt();
        }
        for (Subscriber[] subs : accountable()) {
            for (Subscriber s : subs) {
                CompletableFuture<Void> f = s.busClosed();
                if (f != null) {
                    terminated.add(f);
                }
            }
        }
    }

    // ---- TopicStats ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public int capacity() {
        return size;
    }

    @Override
    public long published() {
        return ring.getCursor() + 1 - cancelledCount.get();
    }

    @Override
    public long dead() {
        return dead.get();
    }

    @Override
    public long rejected() {
        return rejected.get();
    }

    @Override
    public long remainingCapacity() {
        return ring.remainingCapacity();
    }

    @Override
    public int subscribers() {
        return snapshot.all.length;
    }

    void forEachSubscription(java.util.function.BiConsumer<? super io.vela.engine.event.TopicStats,
            ? super io.vela.engine.event.SubscriberStats> each) {
        for (Subscriber s : snapshot.all) {
            each.accept(this, s);
        }
    }

    @Override
    public String toString() {
        return "topic " + name + ": published " + published() + ", dead " + dead() + ", rejected " + rejected()
                + ", subscribers " + subscribers();
    }

    /** Padding before {@link PublisherFields} (superclass fields are laid out first). */
    abstract static class PublisherPad {
        long p1, p2, p3, p4, p5, p6, p7;
    }

    /** A single-publisher topic's publisher state; see {@link PublisherLine}. */
    abstract static class PublisherFields extends PublisherPad {
        /** Highest claimed slot: volatile (the close protocol's store before the re-read of {@code closed}). */
        volatile long claimed = -1;
        /** Last slot published or cancelled; below {@link #claimed} only while a publish is under way. Plain. */
        long settled = -1;
    }

    /**
     * The publisher's fields on a line of their own, padded both sides (as the Disruptor's {@link Sequence}):
     * written per publish by the publisher only; {@code claimed} is also read by a closing thread.
     */
    static final class PublisherLine extends PublisherFields {
        long q1, q2, q3, q4, q5, q6, q7;
    }
}
