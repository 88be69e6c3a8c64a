package io.vela.transport.aeron;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * How the transport's threads (the embedded driver's, the inbound poller, a sender blocked by back-pressure) wait
 * when they have nothing to do. Config names: {@code backoff}, {@code sleeping}, {@code yielding},
 * {@code busy-spin}. {@code backoff} (the default) spins briefly, yields, then parks up to 1 ms: it gives the core
 * back on 2 cores (ADR 0011).
 */
public enum AeronIdle {
    /** Spin, yield, then park from 1 µs up to 1 ms. */
    BACKOFF,
    /** Park 50 µs at a time. */
    SLEEPING,
    /** {@code Thread.yield()}: keeps a core busy unless another thread wants it. */
    YIELDING,
    /** Spin: a core per waiting thread; only with cores to spare. */
    BUSY_SPIN;

    /** @return a new idle strategy (idle strategies keep state: one per thread) */
    public IdleStrategy newIdleStrategy() {
        return switch (this) {
            case BACKOFF -> new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1),
                    TimeUnit.MILLISECONDS.toNanos(1));
            case SLEEPING -> new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(50));
            case YIELDING -> new YieldingIdleStrategy();
            case BUSY_SPIN -> new BusySpinIdleStrategy();
        };
    }
}
