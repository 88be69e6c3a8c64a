package io.vela.http.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs a {@link HostileCase} against a server over a fresh raw connection and asserts the answer, the fate of the
 * connection, and that the server still serves a normal request on a new connection afterwards. Test threads only.
 */
final class HostileChecks {
    /** How long an answer (or a close) may take for a case that needs no timeout to pass. */
    static final Duration ANSWER = Duration.ofSeconds(3);
    /** The normal request every case is followed by. */
    static final String GET_HELLO = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private HostileChecks() {
    }

    /**
     * @param port the server's port on 127.0.0.1
     * @param c    the case
     * @throws IOException when the connection to a live server cannot be made
     */
    static void check(int port, HostileCase c) throws IOException {
        try (RawConnection conn = RawConnection.open(port)) {
            writeTolerantly(conn, c.request());
            Optional<RawResponse> answer = readAnswer(conn, c.name(), c.expectation());
            if (answer.isEmpty()) {
                assertThat(c.silentClose()).as("%s: the server closed without answering; expected %s", c.name(),
                        c.expectation()).isTrue();
            } else {
                RawResponse r = answer.get();
                assertThat(r.status()).as("%s: status of %s; expected %s", c.name(), r, c.expectation())
                        .isIn(c.statuses());
                if (r.status() / 100 == 2) {
                    c.body().ifPresent(b -> assertThat(r.bodyText()).as("%s: body", c.name()).isEqualTo(b));
                }
            }
            switch (c.close()) {
                case MUST -> assertClosesAfterAnswer(conn, c.name(), answer.isEmpty());
                case MUST_NOT -> assertServesOn(conn, c.name() + ": the same connection afterwards");
                case MAY -> {
                }
            }
        }
        assertStillServes(port);
    }

    /**
     * The server must send nothing more (no answer to a smuggled second request) and end the stream.
     */
    static void assertClosesAfterAnswer(RawConnection conn, String name, boolean alreadyClosed) throws IOException {
        if (alreadyClosed) {
            return;
        }
        Optional<RawResponse> more;
        try {
            more = conn.readResponse(ANSWER);
        } catch (SocketTimeoutException open) {
            throw new AssertionError(name + ": the connection is still open " + ANSWER + " after the answer; "
                    + "the server must close it", open);
        }
        assertThat(more).as("%s: after its answer the server must close, not answer again", name).isEmpty();
    }

    /**
     * @param port the server's port
     * @throws IOException when no connection can be made
     */
    static void assertStillServes(int port) throws IOException {
        try (RawConnection conn = RawConnection.open(port)) {
            assertServesOn(conn, "a normal GET on a new connection afterwards");
        }
    }

    /** Sends {@link #GET_HELLO} on the connection and asserts 200 "ok". */
    static void assertServesOn(RawConnection conn, String what) throws IOException {
        conn.write(GET_HELLO);
        Optional<RawResponse> r = conn.readFinalResponse(ANSWER);
        assertThat(r).as("%s: answered", what).isPresent();
        assertThat(r.get().status()).as("%s: status of %s", what, r.get()).isEqualTo(200);
        assertThat(r.get().bodyText()).as("%s: body", what).isEqualTo("ok");
    }

    /**
     * Reads the final answer; a timeout (neither answer nor close) fails the test.
     */
    static Optional<RawResponse> readAnswer(RawConnection conn, String name, String expected) throws IOException {
        try {
            return conn.readFinalResponse(ANSWER);
        } catch (SocketTimeoutException silent) {
            return fail(name + ": the server neither answered nor closed within " + ANSWER + "; expected "
                    + expected, silent);
        }
    }

    /**
     * Writes the request; a server that closes or resets while the client is still writing is allowed (it may have
     * answered already), so a failed write is not an error here.
     *
     * @return whether every byte was written
     */
    static boolean writeTolerantly(RawConnection conn, byte[] bytes) {
        try {
            conn.write(bytes);
            return true;
        } catch (IOException closedByServer) {
            return false;
        }
    }
}
