package io.vela.transport.aeron;

/**
 * Told when a peer's stream appears on a subscription and when it is lost (the peer closed, died or fell silent
 * for {@code transport.aeron.peer-timeout-ms}). Runs on the Aeron client's conductor thread: keep it short and do
 * not call back into Aeron from it; what it throws is logged and ignored.
 */
public interface PeerListener {
    /** A listener that does nothing. */
    PeerListener NONE = new PeerListener() {
    };

    /** @param event the peer whose stream appeared (again) */
    default void onAvailable(PeerEvent event) {
    }

    /** @param event the peer whose stream was lost */
    default void onUnavailable(PeerEvent event) {
    }
}
