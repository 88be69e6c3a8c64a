package io.vela.engine.channel;

import io.vela.engine.VelaConfigException;
import io.vela.engine.WaitStrategy;
import io.vela.engine.counters.CounterFactory;
import io.vela.engine.counters.CounterTypes;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import org.agrona.BitUtil;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Builds a {@link Channel}: from {@link Channel#builder(String)} (standalone) or from
 * {@code VelaRuntime.channels().builder(name)} (counted in {@code runtime.stats()}, closed by the runtime's
 * shutdown). Defaults: capacity 1024, {@link ChannelArity#MANY_TO_MANY}, {@link WaitStrategy#AUTO} (yielding where
 * the cores allow one more spinning thread, else sleeping: a registry counts its open spinning channels against
 * {@link WaitStrategy#spinBudget(int)}; a standalone channel plans for itself alone). Not thread-safe; build on one
 * thread.
 *
 * @param <T> the element type
 */
public final class ChannelBuilder<T> {
    /** The largest capacity a channel accepts. */
    public static final int MAX_CAPACITY = 1 << 30;

    /** Where a channel is built: alone (standalone) or in a registry, which plans {@code auto} over its channels. */
    interface Registrar {
        /**
         * @param name      the channel's name
         * @param requested the wait strategy as given, possibly {@code AUTO}
         * @param make      makes the channel for a resolved wait strategy and its refusals counter
         * @return the channel made
         */
        ArrayChannel<?> register(String name, WaitStrategy requested,
                BiFunction<WaitStrategy, AtomicCounter, ArrayChannel<?>> make);
    }

    private final String name;
    private final Registrar registrar;
    private int capacity = 1024;
    private ChannelArity arity = ChannelArity.MANY_TO_MANY;
    private WaitStrategy waitStrategy = WaitStrategy.AUTO;
    private long safetyParkNanos = Pause.SAFETY_PARK_NANOS;
    private boolean senderCloses;

    ChannelBuilder(String name, Registrar registrar) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new VelaConfigException(List.of("channel name = '" + name + "' is invalid; valid: a non-blank name"));
        }
        this.name = name;
        this.registrar = registrar;
    }

    /**
     * @param cores the processors to plan for
     * @return a registrar that resolves {@code AUTO} as if the channel were the only spinning thread
     */
    static Registrar standalone(int cores) {
        return (name, requested, make) -> make.apply(requested.resolveForChannel(WaitStrategy.spinBudget(cores), 1),
                CounterFactory.heap().newCounter(CounterTypes.CHANNEL, name, "refused"));
    }

    /**
     * @param capacity slots; rounded up to a power of two, at least 2
     * @return this
     * @throws VelaConfigException if not in [1, 2^30]
     */
    public ChannelBuilder<T> capacity(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new VelaConfigException(List.of("channel '" + name + "' capacity = " + capacity
                    + " is invalid; valid: an integer in [1, " + MAX_CAPACITY + "]"));
        }
        this.capacity = capacity;
        return this;
    }

    /**
     * @param arity how many threads may send and receive at once (the caller must keep it)
     * @return this
     */
    public ChannelBuilder<T> arity(ChannelArity arity) {
        this.arity = Objects.requireNonNull(arity, "arity");
        return this;
    }

    /**
     * @param waitStrategy how send, receive and select wait: {@code busy-spin}/{@code no-op} spin,
     *                     {@code yielding} spins then yields, {@code sleeping}/{@code backoff}/{@code phased-backoff}
     *                     spin and yield briefly then park, the blocking kinds park at once; parked threads are woken
     *                     by the other side
     * @return this
     */
    public ChannelBuilder<T> waitStrategy(WaitStrategy waitStrategy) {
        this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
        return this;
    }

    /**
     * A promise that lets a channel with a spinning wait strategy ({@code busy-spin}, {@code no-op},
     * {@code yielding}) send without an atomic instruction: {@link Channel#close()} is called only when no send on
     * the channel is in progress — by the sending thread after its last send, or once every sender has stopped. By
     * default (false) a send racing {@code close()} is exact (accepted and received, or refused) at the price of one
     * atomic add per send (ADR 0007). If the promise is broken, an element sent while another thread closes may be
     * accepted and never received. Ignored for parking wait strategies, whose sends need the atomic add to wake
     * receivers anyway.
     *
     * @param senderCloses true to make the promise
     * @return this
     */
    public ChannelBuilder<T> senderCloses(boolean senderCloses) {
        this.senderCloses = senderCloses;
        return this;
    }

    /** Tests only: the longest park of a registered waiter that nobody wakes. */
    ChannelBuilder<T> safetyParkNanos(long nanos) {
        this.safetyParkNanos = nanos;
        return this;
    }

    /**
     * @return the channel
     * @throws io.vela.engine.VelaException if the registry refuses it (name taken, runtime closed)
     */
    public Channel<T> build() {
        int slots = Math.max(2, BitUtil.findNextPositivePowerOfTwo(capacity));
        @SuppressWarnings("unchecked") // made just below, as an ArrayChannel<T>
        Channel<T> channel = (Channel<T>) registrar.register(name, waitStrategy,
                (resolved, refusals) -> new ArrayChannel<T>(name, slots, arity, resolved, safetyParkNanos, senderCloses,
                        refusals));
        return channel;
    }
}
