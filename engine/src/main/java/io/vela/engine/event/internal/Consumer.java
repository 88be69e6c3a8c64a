package io.vela.engine.event.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import io.vela.engine.internal.FullRingBackoff;
import io.vela.engine.internal.RingProbe;
import io.vela.engine.internal.Streaming;
import org.agrona.concurrent.IdleStrategy;

/**
 * A lossless bus consumer thread of one topic: waits for published slots, and for each slot runs the subscriptions
 * assigned to it (inline handlers directly; offloaded and async ones are handed to their windows). Its
 * {@link #sequence} gates the ring, so a slow inline handler holds publishers back.
 *
 * <p>Behind a publisher that streams events it catches up after each batch; it then pauses for a moment
 * ({@link Streaming}, ADR 0017) instead of polling the lines the publisher writes next, and takes what was published
 * meanwhile as one batch.
 *
 * <p>Only its own thread runs {@link #run()}; allocates nothing per event (the class index allocates on a miss).
 * Consumer 0 also judges dead events for the whole topic. Other threads call {@link #alert()} (close, halt, or a
 * subscription closed: re-check which subscriptions have passed their end) and {@link #interrupt()} (halt).
 *
 * <p>It stops only when its topic closes (after draining) or halts. An interrupt — a handler that restored its flag,
 * or a halting close — is only a prompt to look at the halt flag; handlers never start with the flag set (the
 * subscriber clears it after each call, as {@code ThreadPoolExecutor} does between tasks). A {@code Throwable}
 * escaping the per-slot work (none should: handlers' are caught by their subscriber) costs at most the rest of that
 * slot: the batch goes on with the next one, so no slot is delivered twice. The per-slot {@code try} costs nothing
 * until something is thrown.
 */
final class Consumer extends ConsumerThread {
    final int index;
    final Sequence sequence = new Sequence(-1);
    private final TopicRing topic;
    private final RingBuffer<Object> ring;
    private final ClassIndex classes = new ClassIndex();
    /**
     * Whether a single event found at the first looks does not count as a stream ({@link Streaming}; its own thread
     * only): set by a pause, kept while the first looks go on finding single events, cleared when they find nothing.
     */
    private boolean wary;
    /**
     * Pauses taken ({@link Streaming}): written by its own thread only, plain; read by tests once the consumer has
     * ended (its thread joined). One increment per pause (at most one per 200 ns): no cost on the event path.
     */
    long pauses;
    /**
     * Backs off while {@code waitFor} returns below the next slot: a multi-publisher claim past it is not published
     * yet (a publisher stalled in its translator, or descheduled there), and every wait strategy returns at once
     * while the claim cursor is past the slot wanted. Made once; reset only after it was used.
     */
    private final IdleStrategy stalled = FullRingBackoff.create();
    /** Whether {@link #stalled} idled since the last batch (its own thread only). */
    private boolean stalling;

    Consumer(TopicRing topic, int index, SequenceBarrier barrier) {
        super(barrier);
        this.topic = topic;
        this.index = index;
        this.ring = topic.ring;
    }

    @Override
    public void run() {
        long next = sequence.get() + 1;
        while (true) {
            try {
                long available = RingProbe.probe(ring, barrier, next, Streaming.LOOKS, PROBE_CHUNK);
                boolean early = available >= next;
                boolean streaming = early && streaming(available - next + 1);
                if (available < next) {
                    available = probe(next);
                    if (available < next) {
                        // at most a chunk at a time, as the probe: the sequence (which gates the publishers) moves
                        // after each, not only after all that piled up while this consumer slept
                        available = Math.min(barrier.waitFor(next), next + PROBE_CHUNK - 1);
                    }
                }
                if (available >= next) {
                    if (stalling) {
                        stalling = false;
                        stalled.reset();
                    }
                    boolean tookAll = available - next + 1 < PROBE_CHUNK;
                    next = processBatch(next, available);
                    if (topic.halted()) {
                        // processBatch stopped on the flag; the probe would find the same slot available again
                        // without looking at the halt's alert, and this loop would spin on it for ever
                        return;
                    }
                    caughtUp(streaming && tookAll, early);
                } else {
                    // waitFor returned below next: the slot is claimed, not published; spinning on that would take
                    // a core for as long as its publisher stalls (the close alert is still seen: the probe looks)
                    wary = false;
                    stalling = true;
                    stalled.idle();
                }
            } catch (AlertException e) {
                // cleared before the flags are read: close and halt set their flag before alerting, so an alert of
                // theirs that this clears is seen through the flag
                barrier.clearAlert();
                if (topic.halted()) {
                    return;
                }
                if (topic.closed()) {
                    drain(next);
                    return;
                }
                catchUp(); // a subscription was closed, or a windowed one made: see catchUp
            } catch (TimeoutException e) {
                // a timeout strategy woke us without work: wait again
            } catch (InterruptedException e) {
                if (topic.halted()) { // the flag is cleared by the throw; an interrupt is only a prompt
                    return;
                }
            } catch (Throwable t) { // from the wait (a batch catches its own): wait again for the same slot
                Subscriber.logSafely("Event consumer of topic '" + topic.name + "' failed waiting for slot " + next,
                        t);
            }
        }
    }

    /**
     * Looks for published slots from {@code next} on by reading the ring's availability (the flags of a
     * multi-producer ring), spinning briefly, before falling back to the wait strategy — as the executor's workers
     * do ({@link RingProbe}): the consumer then does not spin on the cursor every publisher CASes. Called after the
     * first {@link Streaming#LOOKS} looks found nothing (so the publisher is not streaming).
     */
    private long probe(long next) {
        return RingProbe.probe(ring, barrier, next, PROBE_SPINS - Streaming.LOOKS, PROBE_CHUNK);
    }

    /**
     * Whether a publisher is streaming ({@link Streaming}, ADR 0017): the run was found within the first
     * {@link Streaming#LOOKS} looks after the last batch; right after a pause (which always finds what was published
     * meanwhile), and from then on while the first looks find single events, only a run of
     * {@link Streaming#AFTER_PAUSE} slots or more counts. So a round trip that once looked like a stream does not keep
     * waiting for pauses, nor does a handler that publishes the next event of a chain on its own topic (one event in
     * flight, always found at the first look: it would pause after every other event).
     *
     * @param found slots in the run the first looks found
     */
    private boolean streaming(long found) {
        return !wary || found >= Streaming.AFTER_PAUSE;
    }

    /**
     * After a batch: if it took everything published behind a streaming publisher, stays off the ring for
     * {@link Streaming#PAUSE_NANOS} so that the publisher's close fence does not wait for the cursor and slot lines
     * this consumer would poll; the next look then takes what was published meanwhile as one batch. The pause reads
     * nothing another thread writes and is bounded, so an event published during it is seen right after it.
     *
     * @param pause whether to pause
     * @param early whether the batch was found at the first looks (a consumer that is {@link #wary} stays so)
     */
    private void caughtUp(boolean pause, boolean early) {
        wary = pause || wary && early;
        if (pause) {
            pauses++;
            Streaming.pause();
        }
    }

    /** Looks at the ring (the streaming test's first ones included) before the wait strategy takes over. */
    static final int PROBE_SPINS = 64;
    /** The most slots one probe hands to a batch (a batch's counters and window advance are published per batch). */
    static final int PROBE_CHUNK = 1024;

    /**
     * Brings this consumer's subscriptions up to its position, as after a batch: retires those a {@code close()}
     * ended at or before it, and moves the window (and gating sequence) of one made while this consumer delivered
     * without it, which nothing else would move while the ring is full of events it was never offered.
     */
    private void catchUp() {
        long done = sequence.get();
        for (Subscriber s : topic.snapshot().perConsumer[index]) {
            s.afterBatch(done);
        }
    }

    /** Delivers slots {@code [lo, hi]}; returns the next sequence to wait for. */
    private long processBatch(long lo, long hi) {
        Snapshot snap = topic.snapshot();
        Subscriber[] local = snap.perConsumer[index];
        beginBatch(hi, local);
        boolean judge = index == 0;
        boolean byType = topic.byType;
        Thread self = Thread.currentThread();
        if (self.isInterrupted()) { // interrupted while waiting (a halt, or someone else's): no handler starts so
            Thread.interrupted();
        }
        long seq = lo;
        for (; seq <= hi; seq++) {
            if (topic.halted()) { // per slot: once shutdown gave up, no handler runs again
                break;
            }
            if (topic.isCancelled(seq)) {
                continue;
            }
            try {
                Object event = topic.eventAt(seq);
                Subscriber[] subs;
                Subscriber[] all;
                if (byType) {
                    ClassIndex.Entry e = classes.lookup(event.getClass(), snap, local);
                    subs = e.local;
                    all = e.global;
                } else {
                    subs = local;
                    all = snap.all;
                }
                for (Subscriber s : subs) {
                    s.offer(event, seq);
                    if (self.isInterrupted()) { // the handler restored its flag: the next must not start with it
                        Thread.interrupted();
                    }
                }
                if (judge) {
                    judgeDead(event, seq, all);
                }
            } catch (Throwable t) {
                slotFailed(seq, t);
            }
        }
        long done = seq - 1;
        for (Subscriber s : local) {
            try {
                s.afterBatch(done);
            } catch (Throwable t) {
                slotFailed(done, t);
            }
        }
        sequence.set(done);
        return seq;
    }

    /** Something other than a handler threw while delivering slot {@code seq}: logged; the batch goes on. */
    private void slotFailed(long seq, Throwable t) {
        Subscriber.logSafely("Event consumer of topic '" + topic.name + "' failed at slot " + seq
                + "; it goes on with the next slot", t);
    }

    private void judgeDead(Object event, long seq, Subscriber[] matching) {
        for (Subscriber s : matching) {
            if (s.inWindowPlain(seq)) {
                return;
            }
        }
        topic.countDead(1);
        topic.bus.deadEvent(topic.name, event);
    }

    /**
     * After close: delivers what was accepted, including slots claimed before close whose publisher has not
     * published yet, until every claimed slot was seen or the bus is halted.
     */
    private void drain(long next) {
        long seq = next;
        IdleStrategy idle = FullRingBackoff.create();
        while (!topic.halted() && seq <= topic.claimedCursor()) {
            if (ring.isAvailable(seq)) {
                long end = seq;
                long cursor = ring.getCursor();
                while (end + 1 <= cursor && ring.isAvailable(end + 1)) {
                    end++;
                }
                seq = processBatch(seq, end);
                idle.reset();
            } else {
                idle.idle();
            }
        }
    }
}
