package io.vela.engine.event;

import java.time.Duration;
import java.util.Objects;

/**
 * What a subscription does when its handler throws (or its async stage fails). A failing handler never stops
 * other subscriptions; the policy only decides what happens to this one.
 *
 * <pre>{@code
 * ErrorPolicy.logAndContinue()                                  // the default
 * ErrorPolicy.retry(3, Duration.ofMillis(1), ErrorPolicy.deadLetter(sink))
 * ErrorPolicy.stop()                                            // close the subscription on the first failure
 * }</pre>
 *
 * Inline subscriptions retry on the bus consumer thread, delaying the subscriptions that share it; keep retries
 * short there or offload the subscription.
 */
public final class ErrorPolicy {
    /** The policy's kind. */
    public enum Kind {
        /** Log the failure (first one, then every 1024th) and go on with the next event. */
        LOG_AND_CONTINUE,
        /** Call the handler again after a doubling back-off, then fall back to another policy. */
        RETRY,
        /** Hand the event and error to a {@link DeadLetterSink}, then go on. */
        DEAD_LETTER,
        /** Close the subscription: it receives no further events. */
        STOP
    }

    private static final ErrorPolicy LOG = new ErrorPolicy(Kind.LOG_AND_CONTINUE, 0, Duration.ZERO, null, null);
    private static final ErrorPolicy STOP = new ErrorPolicy(Kind.STOP, 0, Duration.ZERO, null, null);

    private final Kind kind;
    private final int retries;
    private final Duration backoff;
    private final ErrorPolicy then;
    private final DeadLetterSink sink;

    private ErrorPolicy(Kind kind, int retries, Duration backoff, ErrorPolicy then, DeadLetterSink sink) {
        this.kind = kind;
        this.retries = retries;
        this.backoff = backoff;
        this.then = then;
        this.sink = sink;
    }

    /** @return log and continue with the next event (the default) */
    public static ErrorPolicy logAndContinue() {
        return LOG;
    }

    /** @return close the subscription on its first failure */
    public static ErrorPolicy stop() {
        return STOP;
    }

    /**
     * @param sink receives each failed event with its error
     * @return send failed events to {@code sink} and continue
     */
    public static ErrorPolicy deadLetter(DeadLetterSink sink) {
        return new ErrorPolicy(Kind.DEAD_LETTER, 0, Duration.ZERO, null, Objects.requireNonNull(sink, "sink"));
    }

    /**
     * @param retries extra attempts, at least 1
     * @param backoff pause before the first retry; doubled before each further one
     * @return retry, then log and continue
     */
    public static ErrorPolicy retry(int retries, Duration backoff) {
        return retry(retries, backoff, LOG);
    }

    /**
     * @param retries extra attempts, at least 1
     * @param backoff pause before the first retry; doubled before each further one
     * @param then    what to do when the last retry fails too (not itself a retry)
     * @return the policy
     */
    public static ErrorPolicy retry(int retries, Duration backoff, ErrorPolicy then) {
        if (retries < 1) {
            throw new EventBusException("retries = " + retries + " is invalid; valid: >= 1");
        }
        if (Objects.requireNonNull(backoff, "backoff").isNegative()) {
            throw new EventBusException("backoff = " + backoff + " is invalid; valid: >= 0");
        }
        if (Objects.requireNonNull(then, "then").kind == Kind.RETRY) {
            throw new EventBusException("a retry policy cannot fall back to another retry policy");
        }
        return new ErrorPolicy(Kind.RETRY, retries, backoff, then, null);
    }

    /** @return the policy's kind */
    public Kind kind() {
        return kind;
    }

    /** @return extra attempts (0 unless {@link Kind#RETRY}) */
    public int retries() {
        return retries;
    }

    /**
     * @param attempt the retry about to be made, from 0
     * @return the pause before it, in nanoseconds
     */
    public long backoffNanos(int attempt) {
        long base = backoff.toNanos();
        return attempt >= 30 ? base << 30 : base << attempt;
    }

    /** @return the policy applied when retries are exhausted (itself unless {@link Kind#RETRY}) */
    public ErrorPolicy afterRetries() {
        return kind == Kind.RETRY ? then : this;
    }

    /** @return the dead-letter sink ({@link Kind#DEAD_LETTER} only) */
    public DeadLetterSink sink() {
        if (sink == null) {
            throw new EventBusException("policy " + kind + " has no dead-letter sink");
        }
        return sink;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case RETRY -> "retry(" + retries + ", " + backoff + ", then " + then + ")";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
