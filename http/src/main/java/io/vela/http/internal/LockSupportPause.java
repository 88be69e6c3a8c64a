package io.vela.http.internal;

import java.util.concurrent.locks.LockSupport;

/** A short park for shutdown's wait for connections to close (not on any request path). */
final class LockSupportPause {
    private LockSupportPause() {
    }

    static void pause() {
        LockSupport.parkNanos(2_000_000);
    }
}
