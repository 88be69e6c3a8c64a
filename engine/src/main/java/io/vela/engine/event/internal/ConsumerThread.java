package io.vela.engine.event.internal;

import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import io.vela.engine.internal.Threads;
import java.util.concurrent.ThreadFactory;

/**
 * What a topic's closing thread needs of a consumer thread, lossless or lossy: its barrier to alert (close, halt,
 * a subscription closed), its thread to interrupt (halt) and to join. Called by the closing thread and by
 * {@code Subscription.close()} callers; allocates nothing.
 */
abstract class ConsumerThread implements Runnable {
    /** The consumer's barrier on the ring: {@code waitFor} in its loop, {@link #alert()} from other threads. */
    final SequenceBarrier barrier;
    /**
     * The last slot of the batch this consumer delivers (or last delivered), stored with a volatile store before
     * the batch reads its subscriptions' ends ({@link #beginBatch}); a closing subscription reads it after setting
     * its end ({@code Subscriber.end}). Of the two threads, at least one sees the other's write: either the batch
     * sees the end (and delivers nothing past it), or the closer sees the batch reaching past its end (and leaves
     * the retire to this consumer, after the batch). One fence per batch, none per event.
     */
    final Sequence delivering = new Sequence(-1);
    private volatile Thread thread;

    ConsumerThread(SequenceBarrier barrier) {
        this.barrier = barrier;
    }

    /** @return the started thread, named {@code name}, made by {@code factory} */
    final Thread start(ThreadFactory factory, String name) {
        Thread t = Threads.start(factory, name, this);
        thread = t;
        return t;
    }

    /**
     * Announces the batch {@code [.., hi]} before delivering it: see {@link #delivering}.
     *
     * @param hi   the batch's last slot
     * @param subs the subscriptions this consumer delivers to
     */
    final void beginBatch(long hi, Subscriber[] subs) {
        delivering.setVolatile(hi);
        for (Subscriber s : subs) {
            s.readEnd(); // a volatile read after the store: the other half of the pair
        }
    }

    /** @return the consumer's thread (null before it started) */
    final Thread thread() {
        return thread;
    }

    /** @return true if {@code t} is this consumer's thread */
    final boolean runsOn(Thread t) {
        return thread == t;
    }

    /** Makes the consumer's wait (now or next) throw {@code AlertException}: look at the flags. */
    final void alert() {
        barrier.alert();
    }

    /** Interrupts the consumer thread: a running handler is prompted to return (halt only). */
    final void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** @return true if the thread ended before {@code end} (a {@link System#nanoTime()} value) */
    final boolean join(long end) throws InterruptedException {
        return Threads.joinUntil(thread, end);
    }
}
