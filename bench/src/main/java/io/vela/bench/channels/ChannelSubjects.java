package io.vela.bench.channels;

import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;

/**
 * The peers of Vela's channels, each bounded to the same capacity: the raw Agrona queue for the arity
 * ({@code agrona}), JCTools' array queue for the arity ({@code jctools}) and {@code ArrayBlockingQueue}
 * ({@code jdk-abq}, which alone can park by itself: its {@code put}/{@code take} are used in the parked case).
 */
final class ChannelSubjects {
    private ChannelSubjects() {
    }

    /** A lock-free {@link Queue} without a blocking API: the interface's idle-strategy loops wait for it. */
    private static final class QueueSubject implements ChannelSubject {
        private final Queue<Token> queue;

        QueueSubject(Queue<Token> queue) {
            this.queue = queue;
        }

        @Override
        public boolean offer(Token t) {
            return queue.offer(t);
        }

        @Override
        public Token poll() {
            return queue.poll();
        }

        @Override
        public void close() {
            // nothing owns a thread
        }
    }

    /**
     * @param senders  1: {@code OneToOneConcurrentArrayQueue}, else {@code ManyToOneConcurrentArrayQueue}
     * @param capacity slots
     * @param parked   ignored: waits with the caller's idle strategy
     * @return the raw Agrona queue
     */
    static ChannelSubject agrona(int senders, int capacity, boolean parked) {
        return new QueueSubject(senders == 1 ? new OneToOneConcurrentArrayQueue<>(capacity)
                : new ManyToOneConcurrentArrayQueue<>(capacity));
    }

    /**
     * @param senders  1: {@code SpscArrayQueue}, else {@code MpscArrayQueue}
     * @param capacity slots
     * @param parked   ignored: waits with the caller's idle strategy
     * @return the JCTools queue
     */
    static ChannelSubject jctools(int senders, int capacity, boolean parked) {
        return new QueueSubject(senders == 1 ? new SpscArrayQueue<>(capacity) : new MpscArrayQueue<>(capacity));
    }

    /**
     * @param senders  any
     * @param capacity slots
     * @param parked   ignored: {@code put}/{@code take} always park on the queue's lock conditions
     * @return an {@code ArrayBlockingQueue} (non-fair)
     */
    static ChannelSubject jdkAbq(int senders, int capacity, boolean parked) {
        ArrayBlockingQueue<Token> q = new ArrayBlockingQueue<>(capacity);
        return new ChannelSubject() {
            @Override
            public boolean offer(Token t) {
                return q.offer(t);
            }

            @Override
            public Token poll() {
                return q.poll();
            }

            @Override
            public void put(Token t, IdleStrategy idle) throws InterruptedException {
                q.put(t);
            }

            @Override
            public Token take(IdleStrategy idle) throws InterruptedException {
                return q.take();
            }

            @Override
            public void close() {
                // nothing owns a thread
            }
        };
    }
}
