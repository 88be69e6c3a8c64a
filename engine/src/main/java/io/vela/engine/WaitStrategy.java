package io.vela.engine;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutBlockingWaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * The tuning knob: how a thread waits for work, trading CPU for latency. One vocabulary for Disruptor rings
 * (their consumers' {@link com.lmax.disruptor.WaitStrategy}) and Agrona agents (their
 * {@link IdleStrategy}); each value says where it applies.
 *
 * <table>
 *   <caption>Strategies, from lowest latency / most CPU to least</caption>
 *   <tr><th>name</th><th>rings</th><th>agents</th><th>spins a core</th></tr>
 *   <tr><td>busy-spin</td><td>yes</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>no-op</td><td>no</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>yielding</td><td>yes</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>phased-backoff</td><td>yes</td><td>no (use backoff)</td><td>no</td></tr>
 *   <tr><td>backoff</td><td>no (use phased-backoff)</td><td>yes</td><td>no</td></tr>
 *   <tr><td>sleeping</td><td>yes</td><td>yes</td><td>no</td></tr>
 *   <tr><td>lite-blocking, blocking, timeout-blocking</td><td>yes</td><td>no</td><td>no</td></tr>
 * </table>
 *
 * {@link #AUTO} picks per machine so that spinning threads never outnumber the cores; see the tuning guide.
 */
public enum WaitStrategy {
    /** Chosen from the available processors when the runtime is built: spins only where cores allow. */
    AUTO(true, true, false),
    /** Spin on the CPU without pause: lowest latency, one core per waiting thread. */
    BUSY_SPIN(true, true, true),
    /** Agrona agents only: do nothing between polls (a tight loop). */
    NO_OP(false, true, true),
    /** Spin, then {@code Thread.yield()}: low latency, a core per waiting thread unless others need it. */
    YIELDING(true, true, true),
    /** Rings only: spin briefly, yield briefly, then fall back to lite-blocking. */
    PHASED_BACKOFF(true, false, false),
    /** Agents only: Agrona's spin, yield, then park with growing back-off. */
    BACKOFF(false, true, false),
    /** Spin, yield, then park briefly: little CPU when idle, tens of microseconds to wake. */
    SLEEPING(true, true, false),
    /** Rings only: lock and condition, publisher signals only when a consumer sleeps. */
    LITE_BLOCKING(true, false, false),
    /** Rings only: lock and condition; least CPU, highest wake-up latency. */
    BLOCKING(true, false, false),
    /** Rings only: blocking with a 1 ms timeout, so a consumer wakes up even without a signal. */
    TIMEOUT_BLOCKING(true, false, false);

    private final boolean forRings;
    private final boolean forAgents;
    private final boolean spinning;

    WaitStrategy(boolean forRings, boolean forAgents, boolean spinning) {
        this.forRings = forRings;
        this.forAgents = forAgents;
        this.spinning = spinning;
    }

    /** @return the configuration name, e.g. {@code lite-blocking} */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return true if a ring consumer may use it */
    public boolean forRings() {
        return forRings;
    }

    /** @return true if an agent loop may use it */
    public boolean forAgents() {
        return forAgents;
    }

    /** @return true if a thread waiting this way keeps a core busy */
    public boolean spinning() {
        return spinning;
    }

    /**
     * @param name a configuration name such as {@code yielding} (case and {@code _}/{@code -} are ignored)
     * @return the strategy
     * @throws IllegalArgumentException naming the valid names
     */
    public static WaitStrategy fromConfigName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (WaitStrategy w : values()) {
            if (w.name().equals(n)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown wait strategy '" + name + "'; valid: " + names(true, true));
    }

    /**
     * @param rings  include strategies valid for rings
     * @param agents include strategies valid for agents
     * @return the configuration names, comma separated
     */
    public static String names(boolean rings, boolean agents) {
        return Arrays.stream(values())
                .filter(w -> (rings && w.forRings) || (agents && w.forAgents))
                .map(WaitStrategy::configName)
                .collect(Collectors.joining(", "));
    }

    /**
     * Resolves {@link #AUTO} for a ring's consumers (the executor's workers, the event bus's consumer threads).
     *
     * <p>Within the spin budget, {@link #YIELDING}; beyond it {@link #LITE_BLOCKING}: a parked consumer costs nothing
     * while idle and wakes on a signal sent only when it sleeps. Measured on 2 cores (the tuning guide's strategy
     * table, suite {@code strategies}), {@link #SLEEPING} — the earlier fallback — had the parking strategies'
     * wake-up (a 33–37 µs p50 at 2,000/s) while burning a quarter of a core per idle thread, and its wake-ups took
     * CPU from a Netty event loop sharing the cores (the {@code http} suite: 56k → 88k req/s with lite-blocking).
     *
     * @param spinBudget how many spinning threads the machine can afford
     * @param threads    how many threads would use the strategy
     * @return this, or for {@link #AUTO} {@link #YIELDING} when {@code threads <= spinBudget}, else
     *         {@link #LITE_BLOCKING}
     */
    public WaitStrategy resolve(int spinBudget, int threads) {
        if (this != AUTO) {
            return this;
        }
        return threads <= spinBudget ? YIELDING : LITE_BLOCKING;
    }

    /**
     * Resolves {@link #AUTO} for a channel's senders and receivers, which wait in their own pause (spin, yield,
     * park) rather than in a Disruptor strategy: there {@link #SLEEPING} spins and yields briefly before it parks,
     * so a ping-pong across a channel keeps its sub-microsecond hand-over while an idle channel parks.
     *
     * @param spinBudget how many spinning threads the machine can afford
     * @param threads    how many threads would use the strategy
     * @return this, or for {@link #AUTO} {@link #YIELDING} when {@code threads <= spinBudget}, else
     *         {@link #SLEEPING}
     */
    public WaitStrategy resolveForChannel(int spinBudget, int threads) {
        if (this != AUTO) {
            return this;
        }
        return threads <= spinBudget ? YIELDING : SLEEPING;
    }

    /**
     * How many threads may spin by default on a machine with {@code cores} processors: half the cores less one
     * (0 on 2 cores, 1 on 4, 3 on 8), leaving the rest to publishers and the application.
     *
     * @param cores available processors
     * @return the budget, never negative
     */
    public static int spinBudget(int cores) {
        return Math.max(0, cores / 2 - 1);
    }

    /**
     * @return a new Disruptor wait strategy for a ring consumer
     * @throws VelaConfigException if this strategy is for agents only or still {@link #AUTO}
     */
    public com.lmax.disruptor.WaitStrategy newRingStrategy() {
        return switch (this) {
            case BUSY_SPIN -> new BusySpinWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case PHASED_BACKOFF -> PhasedBackoffWaitStrategy.withLiteLock(10, 1000, TimeUnit.MICROSECONDS);
            case SLEEPING -> new SleepingWaitStrategy();
            case LITE_BLOCKING -> new LiteBlockingWaitStrategy();
            case BLOCKING -> new BlockingWaitStrategy();
            case TIMEOUT_BLOCKING -> new TimeoutBlockingWaitStrategy(1, TimeUnit.MILLISECONDS);
            case AUTO, NO_OP, BACKOFF -> throw new VelaConfigException(java.util.List.of(
                    "wait strategy '" + configName() + "' cannot drive a ring; valid for rings: "
                            + names(true, false)));
        };
    }

    /**
     * @return a new Agrona idle strategy for an agent loop
     * @throws VelaConfigException if this strategy is for rings only or still {@link #AUTO}
     */
    public IdleStrategy newIdleStrategy() {
        return switch (this) {
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case NO_OP -> new NoOpIdleStrategy();
            case YIELDING -> new YieldingIdleStrategy();
            case BACKOFF -> new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
            case SLEEPING -> new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(100));
            case AUTO, PHASED_BACKOFF, LITE_BLOCKING, BLOCKING, TIMEOUT_BLOCKING -> throw new VelaConfigException(
                    java.util.List.of("wait strategy '" + configName() + "' cannot drive an agent; valid for agents: "
                            + names(false, true)));
        };
    }
}
