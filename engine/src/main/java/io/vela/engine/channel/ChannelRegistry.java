package io.vela.engine.channel;

import io.vela.engine.VelaException;
import io.vela.engine.WaitStrategy;
import io.vela.engine.counters.CounterFactory;
import io.vela.engine.counters.CounterTypes;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The channels a runtime knows ({@code VelaRuntime.channels()}): their counters appear in {@code runtime.stats()},
 * and the runtime's shutdown closes them (receivers may still drain them afterwards). Names are unique among the
 * channels not yet drained; a drained channel's name may be reused. A drained channel stays listed (with its final
 * counters) until the next channel is built from the registry, which drops every drained one, so that building
 * channels under fresh names does not grow the registry without bound.
 * Any thread may call any method; building and closing take a lock, reading the stats does not.
 */
public final class ChannelRegistry {
    private final CopyOnWriteArrayList<ArrayChannel<?>> channels = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<ChannelStats> stats = new CopyOnWriteArrayList<>();
    private final List<ChannelStats> statsView = Collections.unmodifiableList(stats);
    private final int cores;
    private final CounterFactory counters;
    private boolean closed;

    /**
     * A registry of its own, planning {@code auto} wait strategies for {@code availableProcessors()} cores: a channel
     * built with {@code auto} yields only while the registry's open spinning channels leave room in
     * {@link WaitStrategy#spinBudget(int)}, else it sleeps (parks).
     */
    public ChannelRegistry() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param cores the processors to plan {@code auto} wait strategies for (a runtime passes its own count)
     */
    public ChannelRegistry(int cores) {
        this(cores, CounterFactory.heap());
    }

    /**
     * @param cores    the processors to plan {@code auto} wait strategies for (a runtime passes its own count)
     * @param counters where each channel's refusal counter lives (a runtime's counters file); a drained channel's
     *                 counter is freed when the registry drops it
     */
    public ChannelRegistry(int cores, CounterFactory counters) {
        this.counters = java.util.Objects.requireNonNull(counters, "counters");
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
        return new ChannelBuilder<>(name, this::register);
    }

    /**
     * Drops drained channels, refuses a name in use, then makes the channel with {@code auto} resolved against the
     * spin budget left by the open channels that spin (one spinning thread each, at least).
     */
    private synchronized ArrayChannel<?> register(String name, WaitStrategy requested,
            BiFunction<WaitStrategy, AtomicCounter, ArrayChannel<?>> make) {
        if (closed) {
            throw new VelaException("channel '" + name + "' not created: the runtime is closed");
        }
        int spinning = 0;
        for (ArrayChannel<?> c : channels) {
            boolean drained = c.isDrained();
            if (!drained && c.name().equals(name)) {
                throw new VelaException("a channel named '" + name + "' already exists and is not "
                        + "drained; choose another name");
            }
            if (drained) { // done for good: keeping it would grow the registry with every channel ever built
                channels.remove(c);
                stats.remove(c.stats());
                c.counters().release(counters);
            } else if (!c.pause().parks()) {
                spinning++;
            }
        }
        AtomicCounter refusals = counters.newCounter(CounterTypes.CHANNEL, name, "refused");
        ArrayChannel<?> channel;
        try {
            channel = make.apply(requested.resolveForChannel(WaitStrategy.spinBudget(cores), spinning + 1), refusals);
        } catch (RuntimeException | Error e) {
            counters.free(refusals);
            throw e;
        }
        channels.add(channel);
        stats.add(channel.stats());
        return channel;
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
     * @return every registered channel's counters: a live, unmodifiable list that grows as channels are built and
     *         loses drained channels then; iterate it (a snapshot iterator, one allocation) rather than index it, since
     *         its size may change between {@code size()} and {@code get(i)}
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
