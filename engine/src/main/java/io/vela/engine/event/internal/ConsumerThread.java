package io.vela.engine.event.internal;

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
