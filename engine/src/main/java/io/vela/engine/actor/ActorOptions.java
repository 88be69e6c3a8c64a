package io.vela.engine.actor;

import io.vela.engine.VelaConfigException;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-actor settings: mailbox capacity and overflow, messages per turn, pinning. Immutable; build with
 * {@link #builder()}. Defaults: capacity 1024, {@link MailboxOverflow#FAIL}, block timeout 1 s, throughput 64,
 * multiplexed on the ring workers.
 */
public final class ActorOptions {
    private static final ActorOptions DEFAULTS = builder().build();

    private final int mailboxCapacity;
    private final MailboxOverflow overflow;
    private final Duration blockTimeout;
    private final int throughput;
    private final WaitStrategy pinned;

    private ActorOptions(Builder b) {
        this.mailboxCapacity = b.mailboxCapacity;
        this.overflow = b.overflow;
        this.blockTimeout = b.blockTimeout;
        this.throughput = b.throughput;
        this.pinned = b.pinned;
    }

    /** @return the defaults */
    public static ActorOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the mailbox capacity asked for (the mailbox rounds it up to a power of two) */
    public int mailboxCapacity() {
        return mailboxCapacity;
    }

    /** @return what a tell to a full mailbox does */
    public MailboxOverflow overflow() {
        return overflow;
    }

    /** @return how long {@link MailboxOverflow#BLOCK} waits */
    public Duration blockTimeout() {
        return blockTimeout;
    }

    /** @return messages handled per turn before the worker is yielded */
    public int throughput() {
        return throughput;
    }

    /** @return the wait strategy of the actor's own thread, if pinned */
    public Optional<WaitStrategy> pinned() {
        return Optional.ofNullable(pinned);
    }

    /** Builds {@link ActorOptions}; each setter checks its value and names it when invalid. */
    public static final class Builder {
        private int mailboxCapacity = 1024;
        private MailboxOverflow overflow = MailboxOverflow.FAIL;
        private Duration blockTimeout = Duration.ofSeconds(1);
        private int throughput = 64;
        private WaitStrategy pinned;

        private Builder() {
        }

        /**
         * @param capacity messages the mailbox holds, in [2, 2^30] (rounded up to a power of two)
         * @return this
         */
        public Builder mailboxCapacity(int capacity) {
            if (capacity < 2 || capacity > (1 << 30)) {
                throw invalid("mailboxCapacity", capacity, "an integer in [2, 1073741824]");
            }
            this.mailboxCapacity = capacity;
            return this;
        }

        /**
         * @param overflow what a tell to a full mailbox does
         * @return this
         */
        public Builder overflow(MailboxOverflow overflow) {
            this.overflow = Objects.requireNonNull(overflow, "overflow");
            return this;
        }

        /**
         * @param timeout how long {@link MailboxOverflow#BLOCK} waits, positive
         * @return this
         */
        public Builder blockTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw invalid("blockTimeout", timeout, "a positive duration");
            }
            this.blockTimeout = timeout;
            return this;
        }

        /**
         * @param messages messages per turn, in [1, 1000000]
         * @return this
         */
        public Builder throughput(int messages) {
            if (messages < 1 || messages > 1_000_000) {
                throw invalid("throughput", messages, "an integer in [1, 1000000]");
            }
            this.throughput = messages;
            return this;
        }

        /**
         * Runs the actor on a thread of its own, waiting for mail with {@code strategy} ({@code auto} means
         * {@code backoff}). The thread is stopped and joined when the actor stops.
         *
         * @param strategy an agent wait strategy
         * @return this
         */
        public Builder pinned(WaitStrategy strategy) {
            Objects.requireNonNull(strategy, "strategy");
            if (strategy != WaitStrategy.AUTO && !strategy.forAgents()) {
                throw invalid("pinned", strategy.configName(), "auto, " + WaitStrategy.names(false, true));
            }
            this.pinned = strategy == WaitStrategy.AUTO ? WaitStrategy.BACKOFF : strategy;
            return this;
        }

        /** @return the options */
        public ActorOptions build() {
            return new ActorOptions(this);
        }

        private static VelaConfigException invalid(String key, Object value, String valid) {
            return new VelaConfigException(List.of("actor option " + key + " = " + value + " is invalid; valid: "
                    + valid));
        }
    }
}
