package io.vela.http.hostile;

import static io.vela.http.hostile.HostileServer.IDLE_MS;
import static io.vela.http.hostile.HostileServer.REQUEST_READ_MS;
import static io.vela.http.hostile.Wire.HOST;
import static io.vela.http.hostile.Wire.head;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle clients (slowloris): a request trickled byte by byte is cut off once
 * {@code http.request-read-timeout-ms} has passed since its first byte, however steadily the bytes come; an idle
 * connection (before a request or between keep-alive requests) is closed after {@code http.idle-timeout-ms}. The
 * server may say 408 first; it must never answer the unfinished request. A client that is slow but finishes in
 * time is served.
 */
class SlowClientTest extends HostileSuite {
    /** Scheduling slack on a shared 2-core machine. */
    private static final long SLACK_MS = 1500;
    private static final Duration TRICKLE = Duration.ofMillis(100);
    private static final long TRICKLE_FOR_MS = 5000;

    @Test
    void slowlorisHeadersAreCutOffByTheRequestDeadline() throws Exception {
        assertTrickleCutOff(head("GET /hello HTTP/1.1", HOST).replace("\r\n\r\n", "\r\n"),
                "X-Slow: " + "s".repeat(100) + "\r\n");
    }

    @Test
    void slowBodyIsCutOffByTheRequestDeadline() throws Exception {
        assertTrickleCutOff(head("POST /echo HTTP/1.1", HOST, "Content-Length: 1000"), "b".repeat(1000));
    }

    @Test
    void slowChunksAreCutOffByTheRequestDeadline() throws Exception {
        assertTrickleCutOff(head("POST /echo HTTP/1.1", HOST, "Transfer-Encoding: chunked"), "1\r\nb\r\n".repeat(200));
    }

    @Test
    void missingFinalChunkIsCutOff() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            long start = System.nanoTime();
            conn.write(head("POST /echo HTTP/1.1", HOST, "Transfer-Encoding: chunked") + "5\r\nhello\r\n");
            assertCutOff(conn, start, REQUEST_READ_MS, "a chunked body without its last chunk");
        }
        HostileChecks.assertStillServes(port());
    }

    @Test
    void partialHeadThenSilenceIsCutOff() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            long start = System.nanoTime();
            conn.write("GET /hello HTTP/1.1\r\nHo");
            assertCutOff(conn, start, REQUEST_READ_MS, "half a head, then silence");
        }
        HostileChecks.assertStillServes(port());
    }

    @Test
    void connectionThatNeverSendsIsClosed() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            assertCutOff(conn, System.nanoTime(), IDLE_MS, "a connection that sends nothing");
        }
        HostileChecks.assertStillServes(port());
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            HostileChecks.assertServesOn(conn, "the first request");
            long start = System.nanoTime();
            assertCutOff(conn, start, IDLE_MS, "an idle keep-alive connection");
        }
        HostileChecks.assertStillServes(port());
    }

    @Test
    void slowClientThatFinishesInTimeIsServed() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            byte[] request = HostileChecks.GET_HELLO.getBytes(StandardCharsets.ISO_8859_1);
            conn.writeSlowly(request, request.length / 4 + 1, Duration.ofMillis(REQUEST_READ_MS / 8));
            Optional<RawResponse> r = conn.readFinalResponse(HostileChecks.ANSWER);
            assertThat(r).isPresent();
            assertThat(r.get().status()).isEqualTo(200);
            assertThat(r.get().bodyText()).isEqualTo("ok");
        }
    }

    /**
     * Sends the head, then trickles the rest one byte per {@link #TRICKLE} (faster than any idle timeout) for up to
     * {@link #TRICKLE_FOR_MS}: the server must cut it off by the request deadline.
     */
    private void assertTrickleCutOff(String start, String trickle) throws Exception {
        try (RawConnection conn = RawConnection.open(port())) {
            long t0 = System.nanoTime();
            conn.write(start);
            CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> trickle(conn,
                    trickle.getBytes(StandardCharsets.ISO_8859_1)));
            assertCutOff(conn, t0, REQUEST_READ_MS, "a trickled request");
            assertThat(writer.get(TRICKLE_FOR_MS + SLACK_MS, TimeUnit.MILLISECONDS))
                    .as("the trickling client was cut off (a write failed) before it finished").isTrue();
        }
        HostileChecks.assertStillServes(port());
    }

    /** @return true when a write failed because the server closed */
    private static boolean trickle(RawConnection conn, byte[] bytes) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TRICKLE_FOR_MS);
        try {
            for (int i = 0; System.nanoTime() < end; i = (i + 1) % bytes.length) {
                conn.write(new byte[] {bytes[i]});
                Thread.sleep(TRICKLE.toMillis());
            }
            return false;
        } catch (IOException closed) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The server must close (optionally after a 408) within {@code limitMs} (plus slack) of {@code startNanos}. */
    private static void assertCutOff(RawConnection conn, long startNanos, long limitMs, String what)
            throws IOException {
        Optional<RawResponse> r = HostileChecks.readAnswer(conn, what, "a close, or 408 then close");
        r.ifPresent(res -> assertThat(res.status()).as("%s: the only answer allowed is 408, got %s", what, res)
                .isEqualTo(408));
        HostileChecks.assertClosesAfterAnswer(conn, what, r.isEmpty());
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertThat(tookMs).as("%s: closed after %d ms; the limit is %d ms", what, tookMs, limitMs)
                .isLessThan(limitMs + SLACK_MS);
    }
}
