package io.vela.transport.aeron;

/**
 * What a send does when Aeron does not take a message now: the publication is back-pressured (the receivers, or
 * the driver's sender, are behind by a whole window), not connected (no subscriber, or the peer was lost), or in
 * an administrative action. The engine's {@link io.vela.engine.OverflowPolicy} names for the first three, plus
 * {@code drop}; {@code caller-runs} has no meaning for a network send.
 *
 * <p>Config names: {@code fail-fast}, {@code block}, {@code block-timeout}, {@code drop}.
 */
public enum BackPressurePolicy {
    /** Throw {@link io.vela.engine.RingFullException} at once (the non-throwing {@code trySend} returns FULL). */
    FAIL_FAST,
    /** Retry with the transport's idle strategy until Aeron takes the message or the publisher is closed. */
    BLOCK,
    /** Retry up to {@code transport.aeron.block-timeout-ms}, then throw {@link io.vela.engine.RingFullException}. */
    BLOCK_TIMEOUT,
    /** Give the message up and count it in {@link AeronPublisher#dropped()}; the send returns normally. */
    DROP
}
