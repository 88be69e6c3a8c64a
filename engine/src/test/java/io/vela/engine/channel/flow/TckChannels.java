package io.vela.engine.channel.flow;

import io.vela.engine.RingClosedException;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelArity;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The channels a TCK class tests with: made per test, each fed by a feeder thread when it must hold more elements
 * than fit, and all closed after the test (which ends any feeder still waiting for room).
 */
final class TckChannels implements AutoCloseable {
    /** Per-signal timeout of the TCK environment; generous for a loaded 2-core machine. */
    static final long TIMEOUT_MS = 500;
    /** How long the TCK waits to be sure that no signal comes. */
    static final long NO_SIGNAL_MS = 100;
    static final int CAPACITY = 16;

    private final List<Channel<?>> made = new CopyOnWriteArrayList<>();
    private final ExecutorService feeders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tck-feeder");
        t.setDaemon(true);
        return t;
    });

    /** @return a new many-to-many channel, closed by {@link #closeAll()} */
    <T> Channel<T> empty(String name) {
        Channel<T> channel = unmanaged(name);
        made.add(channel);
        return channel;
    }

    /**
     * @param name the channel's name
     * @return a new many-to-many channel that nothing closes: for tests that start no thread on it (a channel owns
     *         none)
     */
    static <T> Channel<T> unmanaged(String name) {
        return Channel.<T>builder(name).capacity(CAPACITY).arity(ChannelArity.MANY_TO_MANY).build();
    }

    /**
     * @param elements how many elements (0, 1, 2, ...) the channel delivers before it is closed and drained
     * @return the channel, already holding them all and closed when they fit, else fed by a feeder thread
     */
    Channel<Long> holding(long elements) {
        Channel<Long> channel = empty("tck-" + elements);
        if (elements <= CAPACITY) {
            for (long i = 0; i < elements; i++) {
                channel.send(i);
            }
            channel.close();
        } else {
            feeders.execute(() -> {
                try {
                    for (long i = 0; i < elements; i++) {
                        channel.send(i);
                    }
                    channel.close();
                } catch (RingClosedException closedByTheTest) {
                    // the test is over
                }
            });
        }
        return channel;
    }

    /** Closes every channel made so far: what a test left behind, including fed ones, ends here. */
    void closeAll() {
        for (Channel<?> c : made) {
            c.close();
        }
        made.clear();
    }

    @Override
    public void close() {
        closeAll();
        feeders.shutdown();
        try {
            if (!feeders.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a TCK feeder did not stop after its channel was closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while TCK feeders stopped", e);
        }
    }
}
