package io.vela.engine.event.internal;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingFullException;
import io.vela.engine.event.EventBusException;
import io.vela.engine.event.TopicStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

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
 */
final class TopicRing implements TopicStats {
    private static final VarHandle DEAD;

    static {
        try {
            DEAD = MethodHandles.lookup().findVarHandle(TopicRing.class, "dead", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
    private volatile LossyConsumer lossy;
    private volatile Snapshot snapshot;
    private final Object lock = new Object();
    private volatile boolean closed;
    final boolean singlePublisher;
    private volatile Thread publisher;
    /** Padded (a Disruptor Sequence): written per publish on a single-publisher topic, beside fields consumers read. */
    private final Sequence claimed = new Sequence(-1);
    private volatile boolean halted;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong cancelledCount = new AtomicLong();
    private final AtomicLong subscriptionIds = new AtomicLong();
    private long dead;

    @SuppressWarnings("unchecked")
    TopicRing(EventBusImpl bus, String name, boolean byType, Supplier<?> factory, BiConsumer<?, ?> copier,
            boolean singlePublisher) {
        this.bus = bus;
        this.name = name;
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
        for (Consumer c : consumers) {
            c.start(bus.threadFactory, bus.prefix + "-events-" + name + "-" + c.index);
        }
    }

    // ---- publishing (any thread) ----

    long claim() {
        if (singlePublisher && publisher != Thread.currentThread()) {
            checkPublisher();
        }
        if (closed) {
            rejected.incrementAndGet();
            throw closedException();
        }
        long seq;
        try {
            seq = ring.tryNext();
        } catch (InsufficientCapacityException full) {
            seq = claimSlow();
        }
        if (singlePublisher) {
            // a single-producer cursor shows only published slots; the drain after close must see claimed ones
            // too. Volatile store before commit's re-read of closed: either close sees this claim, or we see close.
            claimed.setVolatile(seq);
        }
        return seq;
    }

    /** @return the highest claimed sequence (published or not) */
    long claimedCursor() {
        long c = ring.getCursor();
        return singlePublisher ? Math.max(c, claimed.get()) : c;
    }

    private void checkPublisher() {
        Thread me = Thread.currentThread();
        synchronized (lock) {
            if (publisher == null) {
                publisher = me;
                return;
            }
        }
        rejected.incrementAndGet();
        throw new EventBusException("topic '" + name + "' has a single publisher (" + publisher.getName()
                + "); thread " + me.getName() + " may not publish on it");
    }

    private long claimSlow() {
        if (overflow == OverflowPolicy.FAIL_FAST) {
            rejected.incrementAndGet();
            throw new RingFullException("events-" + name, size, "event topic '" + name + "' is full (" + size
                    + " slots; events.overflow = fail-fast)");
        }
        long deadline = overflow == OverflowPolicy.BLOCK_TIMEOUT ? System.nanoTime() + blockTimeoutNanos : 0;
        for (int attempt = 0; ; attempt++) {
            if (closed) {
                rejected.incrementAndGet();
                throw closedException();
            }
            try {
                return ring.tryNext();
            } catch (InsufficientCapacityException full) {
                if (deadline != 0 && System.nanoTime() - deadline > 0) {
                    rejected.incrementAndGet();
                    throw new RingFullException("events-" + name, size, "event topic '" + name
                            + "' stayed full for " + (blockTimeoutNanos / 1_000_000) + " ms (" + size + " slots)");
                }
                pause(attempt);
            }
        }
    }

    static void pause(int attempt) {
        if (attempt < 100) {
            Thread.onSpinWait();
        } else if (attempt < 200) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(Math.min(100_000, 1_000L << Math.min(7, (attempt - 200) / 16)));
        }
    }

    /** Publishes a filled slot, or, if the bus began closing meanwhile, publishes it as cancelled and throws. */
    void commit(long seq) {
        int i = (int) seq & mask;
        if (closed) {
            cancel(seq);
            throw closedException();
        }
        if (cancelled[i] != 0) {
            cancelled[i] = 0; // written only when set: a store per publish would bounce the line to consumers
        }
        ring.publish(seq);
    }

    /** Publishes a claimed slot as cancelled (consumers skip it); for a close race or a failed translator. */
    void cancel(long seq) {
        cancelled[(int) seq & mask] = 1;
        cancelledCount.incrementAndGet();
        rejected.incrementAndGet();
        ring.publish(seq);
    }

    void publishObject(Object event) {
        long seq = claim();
        ((ObjectSlot) ring.get(seq)).event = event;
        commit(seq);
    }

    private EventBusException closedException() {
        return new EventBusException("event bus is closed; topic '" + name + "' accepts no events");
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
        DEAD.setRelease(this, dead + n);
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
                s = new Subscriber(this, spec, n, ring.getCursor() + 1, l.sequence, null, -1);
            } else {
                int idx = spec.consumerIndex >= 0 ? spec.consumerIndex : leastLoaded();
                if (idx >= consumers.length) {
                    throw new EventBusException("consumerThread = " + idx + " is invalid; topic '" + name
                            + "' has " + consumers.length + " consumer thread(s) (events.consumer-threads)");
                }
                if (spec.mode == io.vela.engine.event.DeliveryMode.INLINE) {
                    s = new Subscriber(this, spec, n, ring.getCursor() + 1, consumers[idx].sequence, null, idx);
                } else {
                    Sequence gating = new Sequence();
                    ring.addGatingSequences(gating);
                    s = new Subscriber(this, spec, n, gating.get() + 1, gating, gating, idx);
                }
            }
            snapshot = snapshot.with(s);
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

    void remove(Subscriber s) {
        synchronized (lock) {
            snapshot = snapshot.without(s);
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

    /** @return true if every lossless consumer and every offloaded/async window drained before {@code end} */
    boolean awaitDrained(long end) throws InterruptedException {
        for (Consumer c : consumers) {
            if (!c.join(end)) {
                return false;
            }
        }
        for (int attempt = 0; ; attempt++) {
            boolean empty = true;
            for (Subscriber s : snapshot.all) {
                if (s.inFlight() > 0) {
                    empty = false;
                    break;
                }
            }
            if (empty) {
                return true;
            }
            if (System.nanoTime() - end > 0) {
                return false;
            }
            pause(attempt);
        }
    }

    /**
     * Stops every consumer where it is and counts the (event, lossless subscription) deliveries that did not happen.
     * Counts by type and subscription window; filters are not evaluated, so the count is an upper bound.
     */
    long halt(long joinEnd) throws InterruptedException {
        halted = true;
        for (Consumer c : consumers) {
            c.alert();
        }
        LossyConsumer l = lossy;
        if (l != null) {
            l.alert();
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
        for (Subscriber s : snap.all) {
            missed += s.inFlight();
        }
        return missed;
    }

    void finish(long joinEnd) throws InterruptedException {
        LossyConsumer l = lossy;
        if (l != null) {
            l.join(joinEnd);
        }
        for (Subscriber s : snapshot.all) {
            s.busClosed();
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
        return (long) DEAD.getAcquire(this);
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

    @Override
    public String toString() {
        return "topic " + name + ": published " + published() + ", dead " + dead() + ", rejected " + rejected()
                + ", subscribers " + subscribers();
    }
}
