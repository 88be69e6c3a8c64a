package io.vela.engine.event.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.TimeoutException;
import io.vela.engine.internal.FullRingBackoff;
import java.lang.invoke.VarHandle;
import org.agrona.concurrent.IdleStrategy;

/**
 * The lossy consumer thread of one topic. Its sequence does not gate the ring, so publishers may overwrite slots
 * it has not read. It reads a slot seqlock-style: check the slot is still published for this lap, read (or copy,
 * for a preallocated topic), then check no publisher has claimed the slot's next lap; otherwise the read is thrown
 * away and counted as a drop. When it is more than a ring behind it jumps to half a ring behind the publishers and
 * counts the skipped slots as drops for each of its subscriptions.
 *
 * <p>Only its own thread runs {@link #run()}; allocates nothing per event. Like {@link Consumer} it stops only when
 * its topic closes or halts, takes interrupts only as a prompt to look at the halt flag, is woken by
 * {@link #alert()} when one of its subscriptions is closed, and goes on after a slot whose work threw.
 */
final class LossyConsumer extends ConsumerThread {
    final Sequence sequence;
    private final TopicRing topic;
    private final RingBuffer<Object> ring;
    private final ClassIndex classes = new ClassIndex();
    private final Object scratch;

    LossyConsumer(TopicRing topic, long start) {
        super(topic.ring.newBarrier());
        this.topic = topic;
        this.ring = topic.ring;
        this.sequence = new Sequence(start - 1);
        this.scratch = topic.byType ? null : topic.factory.get();
    }

    @Override
    public void run() {
        long next = sequence.get() + 1;
        while (true) {
            try {
                long available = barrier.waitFor(next);
                next = available >= next ? processBatch(next, available) : catchUp(next);
            } catch (AlertException e) {
                barrier.clearAlert(); // before reading the flags, which close and halt set before alerting
                if (topic.halted()) {
                    return;
                }
                if (topic.closed()) {
                    drain(next);
                    return;
                }
                long done = sequence.get(); // a subscription was closed: retire it if past its end
                for (Subscriber s : topic.snapshot().lossy) {
                    s.retireIfPassed(done);
                }
            } catch (TimeoutException e) {
                // woke without work: wait again
            } catch (InterruptedException e) {
                if (topic.halted()) { // an interrupt is only a prompt to look at the halt flag
                    return;
                }
            } catch (Throwable t) { // from the wait (a batch catches its own): wait again for the same slot
                Subscriber.logSafely("Lossy consumer of topic '" + topic.name + "' failed waiting for slot " + next,
                        t);
            }
        }
    }

    /** Called when slot {@code next} is not readable: lapped (skip ahead) or claimed but not yet published (wait). */
    private long catchUp(long next) {
        long cursor = ring.getCursor();
        if (cursor - next >= topic.size) {
            long to = cursor + 1 - topic.size / 2;
            Subscriber[] lossy = topic.snapshot().lossy;
            // the skipped slots are counted as a batch's deliveries are, after announcing the batch: a closer that
            // read an older position must not finish a subscription (and free its counters) while we count on it
            beginBatch(to - 1, lossy);
            for (Subscriber s : lossy) {
                s.countDropped(next, to - 1);
            }
            sequence.set(to - 1);
            return to;
        }
        Thread.onSpinWait();
        return next;
    }

    private long processBatch(long lo, long hi) {
        Thread self = Thread.currentThread();
        if (self.isInterrupted()) { // interrupted while waiting: no handler starts so
            Thread.interrupted();
        }
        Snapshot snap = topic.snapshot();
        Subscriber[] lossy = snap.lossy;
        beginBatch(hi, lossy);
        long seq = lo;
        for (; seq <= hi && !topic.halted(); seq++) {
            if (!ring.isAvailable(seq)) {
                break; // lapped since waitFor: catch up on the next turn
            }
            boolean cancelled = topic.isCancelled(seq);
            Object event;
            Throwable readError = null;
            try {
                event = read(seq);
            } catch (Throwable t) { // an Error too: the slot is decided below and the batch always goes on
                event = null; // a copier may fail on a slot being overwritten; decided by the check below
                readError = t;
            }
            VarHandle.loadLoadFence();
            if (ring.getCursor() - seq >= topic.size) {
                for (Subscriber s : lossy) {
                    s.countDropped(seq, seq);
                }
                continue;
            }
            if (cancelled) {
                continue;
            }
            try {
                if (readError != null) { // intact slot: the copier failed on it, not on an overwrite
                    readFailed(lossy, seq, readError);
                    continue;
                }
                if (event == null) {
                    continue;
                }
                Subscriber[] subs = topic.byType ? classes.lookup(event.getClass(), snap, lossy).local : lossy;
                for (Subscriber s : subs) {
                    s.offer(event, seq);
                    if (self.isInterrupted()) { // the handler restored its flag: the next must not start with it
                        Thread.interrupted();
                    }
                }
            } catch (Throwable t) { // none should (handlers' are caught by their subscriber): the batch goes on
                Subscriber.logSafely("Lossy consumer of topic '" + topic.name + "' failed at slot " + seq, t);
            }
        }
        long done = seq - 1;
        for (Subscriber s : lossy) {
            try {
                s.afterBatch(done);
            } catch (Throwable t) {
                Subscriber.logSafely("Lossy consumer of topic '" + topic.name + "' failed after slot " + done, t);
            }
        }
        sequence.set(done);
        return seq;
    }

    /** The copier threw on intact slot {@code seq}: it fails for each lossy subscription whose window holds it. */
    private void readFailed(Subscriber[] lossy, long seq, Throwable error) {
        Thread.interrupted(); // user code (the copier), like a handler: the flag it restored goes no further
        // not the slot: nothing holds publishers back from overwriting it while a dead-letter sink reads it
        Object unread = new io.vela.engine.event.UnreadableEvent(topic.name, seq);
        for (Subscriber s : lossy) {
            s.readFailed(unread, seq, error);
        }
    }

    private Object read(long seq) {
        if (topic.byType) {
            return ((ObjectSlot) ring.get(seq)).event;
        }
        topic.copier.accept(ring.get(seq), scratch);
        return scratch;
    }

    private void drain(long next) {
        long seq = next;
        IdleStrategy idle = FullRingBackoff.create();
        while (!topic.halted() && seq <= ring.getCursor()) {
            if (ring.isAvailable(seq)) {
                seq = processBatch(seq, seq);
                idle.reset();
            } else if (ring.getCursor() - seq >= topic.size) {
                seq = catchUp(seq);
            } else {
                idle.idle();
            }
        }
    }
}
