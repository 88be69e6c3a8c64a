package io.vela.bench.channels;

import io.vela.engine.WaitStrategy;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The cases of suite {@code channels}: how many senders, and how senders and the receiver wait when the channel is
 * full or empty. Never more spinning threads than the two cores.
 */
public enum ChannelCase {
    /**
     * {@code spsc}: one sender, one receiver, non-blocking offer/poll ({@code trySend}/{@code pollOrElse} for
     * Vela) on a one-to-one channel; both spin, then yield, while they wait: two busy threads, two cores.
     */
    SPSC("spsc", 1, WaitStrategy.YIELDING, false),
    /**
     * {@code mpsc-2p}: two senders, one receiver, non-blocking, on a many-to-one channel. Three threads on two
     * cores: a sender facing a full channel and the receiver facing an empty one back off (spin, yield, then park
     * from 1 µs up to 1 ms: Agrona's {@code BackoffIdleStrategy}), so no waiting thread holds a core the others
     * need; the figures include OS scheduling.
     */
    MPSC_2P("mpsc-2p", 2, WaitStrategy.BACKOFF, false),
    /**
     * {@code spsc-parked}: one sender, one receiver, blocking send/receive that parks: Vela's {@code send} /
     * {@code receive} on a channel with a parking wait strategy, {@code ArrayBlockingQueue}'s {@code put} /
     * {@code take}, and for the queues without a blocking API a loop that spins, yields, then parks with back-off.
     */
    SPSC_PARKED("spsc-parked", 1, WaitStrategy.BACKOFF, true);

    final String caseName;
    final int senders;
    final WaitStrategy idle;
    final boolean blocking;

    ChannelCase(String caseName, int senders, WaitStrategy idle, boolean blocking) {
        this.caseName = caseName;
        this.senders = senders;
        this.idle = idle;
        this.blocking = blocking;
    }

    /** @return the case name, as in the JSON rows and the {@code channelCase} JMH parameter */
    public String caseName() {
        return caseName;
    }

    /** @return how many sender threads (JMH threads) the case needs */
    public int senders() {
        return senders;
    }

    /**
     * @param name a case name such as {@code mpsc-2p}
     * @return the case
     * @throws IllegalArgumentException naming the valid cases
     */
    public static ChannelCase of(String name) {
        return Arrays.stream(values()).filter(c -> c.caseName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown channel case '" + name + "'; valid: "
                        + Arrays.stream(values()).map(ChannelCase::caseName).collect(Collectors.joining(", "))));
    }
}
