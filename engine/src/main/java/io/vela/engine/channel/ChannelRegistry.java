package io.vela.engine.channel;

import io.vela.engine.VelaException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The channels a runtime knows ({@code VelaRuntime.channels()}): their counters appear in {@code runtime.stats()},
 * and the runtime's shutdown closes them (receivers may still drain them afterwards). Names are unique among the
 * channels not yet drained; a drained channel's name may be reused (the new channel replaces it in the stats).
 * Any thread may call any method; building and closing take a lock, reading the stats does not.
 */
public final class ChannelRegistry {
    private final CopyOnWriteArrayList<ArrayChannel<?>> channels = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<ChannelStats> stats = new CopyOnWriteArrayList<>();
    private final List<ChannelStats> statsView = Collections.unmodifiableList(stats);
    private final int cores;
    private boolean closed;

    /** A registry of its own, planning {@code auto} wait strategies for {@code availableProcessors()} cores. */
    public ChannelRegistry() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param cores the processors to plan {@code auto} wait strategies for (a runtime passes its own count)
     */
    public ChannelRegistry(int cores) {
        if (cores < 1) {
            throw new io.vela.engine.VelaConfigException(List.of("cores = " + cores
                    + " is invalid; valid: an integer >= 1"));
        }
        this.cores = cores;
    }

    /**
     * @param name the channel's name, unique among this registry's channels not yet drained
     * @param <T>  the element type
     * @return a builder whose {@code build()} registers the channel
     */
    public <T> ChannelBuilder<T> builder(String name) {
        return new ChannelBuilder<>(name, this::register, cores);
    }

    private synchronized void register(ArrayChannel<?> channel) {
        if (closed) {
            throw new VelaException("channel '" + channel.name() + "' not created: the runtime is closed");
        }
        for (ArrayChannel<?> c : channels) {
            if (c.name().equals(channel.name())) {
                if (!c.isDrained()) {
                    throw new VelaException("a channel named '" + channel.name() + "' already exists and is not "
                            + "drained; choose another name");
                }
                channels.remove(c);
                stats.remove(c.stats());
            }
        }
        channels.add(channel);
        stats.add(channel.stats());
    }

    /**
     * @param name a channel's name
     * @return the registered channel of that name, if any
     */
    public Optional<Channel<?>> find(String name) {
        for (ArrayChannel<?> c : channels) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * @return every registered channel's counters: a live, unmodifiable list (reading an element by index locks
     *         and allocates nothing; iterating allocates an iterator)
     */
    public List<ChannelStats> stats() {
        return statsView;
    }

    /** Closes every registered channel and refuses new ones; receivers may still drain them. Idempotent. */
    public synchronized void closeAll() {
        closed = true;
        for (ArrayChannel<?> c : channels) {
            c.close();
        }
    }
}
