package io.vela.transport.aeron;

/**
 * A peer's stream appeared on, or vanished from, a subscription: one Aeron image (one publisher session).
 *
 * @param channel        the subscription's channel
 * @param streamId       the stream id
 * @param sessionId      the publisher's session (a restarted peer comes back with a new one)
 * @param sourceIdentity where it comes from ({@code host:port} for UDP, {@code aeron:ipc} for IPC)
 */
public record PeerEvent(String channel, int streamId, int sessionId, String sourceIdentity) {
}
