package io.vela.bench.channels;

import io.vela.engine.OfferResult;
import io.vela.engine.WaitStrategy;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelArity;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;

/**
 * Vela's channel ({@code vela}) and its peers, each bounded to the same capacity: the raw Agrona queue for the arity
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

    /**
     * @param senders  1: a one-to-one channel, else many-to-one
     * @param capacity slots
     * @param parked   true: the {@code backoff} wait strategy (spin, yield, then park until the other side wakes
     *                 it), else {@code yielding} (unused by {@code trySend}/{@code pollOrElse})
     * @return a standalone Vela channel
     */
    static ChannelSubject vela(int senders, int capacity, boolean parked) {
        return new VelaChannel(Channel.<Token>builder("bench").capacity(capacity)
                .arity(senders == 1 ? ChannelArity.ONE_TO_ONE : ChannelArity.MANY_TO_ONE)
                .waitStrategy(parked ? WaitStrategy.BACKOFF : WaitStrategy.YIELDING)
                .build());
    }

    /** Vela: {@code trySend}/{@code pollOrElse} (allocation-free), {@code send}/{@code receive} when parked. */
    private static final class VelaChannel implements ChannelSubject {
        private static final Token EMPTY = new Token(-2);
        private final Channel<Token> channel;

        VelaChannel(Channel<Token> channel) {
            this.channel = channel;
        }

        @Override
        public boolean offer(Token t) {
            return channel.trySend(t) == OfferResult.ACCEPTED;
        }

        @Override
        public Token poll() {
            Token t = channel.pollOrElse(EMPTY);
            return t == EMPTY ? null : t;
        }

        @Override
        public void put(Token t, IdleStrategy idle) {
            channel.send(t);
        }

        @Override
        public Token take(IdleStrategy idle) {
            return channel.receive();
        }

        @Override
        public void close() {
            channel.close();
        }
    }
}
