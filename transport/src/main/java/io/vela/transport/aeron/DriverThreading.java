package io.vela.transport.aeron;

import io.aeron.driver.ThreadingMode;

/**
 * The embedded driver's threads. Config names: {@code shared}, {@code shared-network}, {@code dedicated}.
 * {@code shared} (the default) fits 2 cores: one driver thread next to the application's sender and the
 * transport's poller (ADR 0011).
 */
public enum DriverThreading {
    /** One thread runs the conductor, the sender and the receiver. */
    SHARED(ThreadingMode.SHARED),
    /** One thread for the conductor, one for the sender and the receiver together. */
    SHARED_NETWORK(ThreadingMode.SHARED_NETWORK),
    /** A thread each for the conductor, the sender and the receiver. */
    DEDICATED(ThreadingMode.DEDICATED);

    private final ThreadingMode mode;

    DriverThreading(ThreadingMode mode) {
        this.mode = mode;
    }

    /** @return Aeron's threading mode */
    public ThreadingMode aeronMode() {
        return mode;
    }
}
