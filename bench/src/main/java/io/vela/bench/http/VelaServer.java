package io.vela.bench.http;

/**
 * Subject {@code vela}: Vela's HTTP edge. Disabled until the server (branch {@code http-server}) is merged: its
 * {@link #start} fails with {@link #DISABLED}, and the suite skips the subject with that message.
 */
final class VelaServer implements SubjectServer {
    /** Whether the subject runs; false until the server is merged. */
    static final boolean ENABLED = false;
    /** Why the subject is skipped. */
    static final String DISABLED = "the vela subject is wired but disabled: Vela's HTTP server is not merged yet";

    @Override
    public int start(int eventLoops) {
        throw new UnsupportedOperationException(DISABLED);
    }

    @Override
    public void close() {
        // nothing started
    }
}
