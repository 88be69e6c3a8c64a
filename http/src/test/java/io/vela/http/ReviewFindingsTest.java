package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Defects found by an adversarial review of the per-request path (issue #10): each test failed on the code as
 * merged and passes with its fix. Every test is bounded (socket timeouts of a few seconds, a class timeout).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReviewFindingsTest {
    private Fixture f;

    @BeforeEach
    void start() {
        f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2).set(HttpSettings.PORT, 0)
                .set(HttpSettings.REQUEST_READ_TIMEOUT_MS, 5_000L).set(HttpSettings.MAX_CONTENT_LENGTH, 1024)
                .build());
        f.start(f.builder()
                .get("/slow", r -> {
                    Thread.sleep(300); // on a ring worker: still due when the next bytes arrive
                    return HttpResponse.text(200, "slow");
                })
                .get("/slower", r -> {
                    Thread.sleep(800);
                    return HttpResponse.text(200, "slower");
                })
                .get("/slow-stream", r -> {
                    Thread.sleep(300);
                    return HttpResponse.chunked(200, "text/plain", List.of("one".getBytes(), "two".getBytes())
                            .iterator());
                })
                .get("/broken-stream", r -> HttpResponse.chunked(200, "text/plain", failingAfterOneChunk()))
                .get("/early-hints", r -> HttpResponse.of(103))
                .get("/ok", r -> HttpResponse.text(200, "ok"))
                .get("/interrupts", r -> {
                    Thread.currentThread().interrupt(); // restores a flag it caught, and answers
                    return HttpResponse.text(200, "interrupted");
                })
                .post("/echo", r -> HttpResponse.text(200, r.bodyText())));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** A stream that fails after its first chunk (its source broke: a handler failing after it answered). */
    private static Iterator<byte[]> failingAfterOneChunk() {
        return new Iterator<>() {
            private int served;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public byte[] next() {
                if (served++ == 0) {
                    return "first".getBytes(StandardCharsets.US_ASCII);
                }
                throw new IllegalStateException("the stream's source failed");
            }
        };
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 5_000);
        s.setSoTimeout(4_000);
        return s;
    }

    /** @return everything the server sends until it closes; fails the test if it does not close in time */
    private static String readToEnd(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException open) {
            throw new AssertionError("the server did not close the connection; received so far:\n"
                    + got.toString(StandardCharsets.ISO_8859_1));
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    private static void send(Socket s, String raw) throws IOException {
        s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * The answer before a {@code 100 Continue} that was due closes the connection (an HTTP/1.0 stream ends at the
     * close): the {@code 100} must not follow it, where it would become part of that answer's body.
     */
    @Test
    void aContinueDueIsNotWrittenAfterAnAnswerThatClosesTheConnection() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /slow-stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            String all = readToEnd(s);
            assertThat(all).startsWith("HTTP/1.0 200");
            String body = all.substring(all.indexOf("\r\n\r\n") + 4);
            assertThat(body).as("the HTTP/1.0 body, which ends at the close").isEqualTo("onetwo");
        }
    }

    /**
     * A streamed body whose source fails after the head and a chunk went out cannot be finished: the connection
     * must close (the client sees a truncated stream), and no later answer may be appended to the broken body.
     */
    @Test
    void aStreamFailingMidwayClosesTheConnectionInsteadOfAppendingTheNextAnswer() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /broken-stream HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            String all = readToEnd(s);
            assertThat(all).startsWith("HTTP/1.1 200");
            assertThat(all).contains("first");
            assertThat(count(all, "HTTP/1.1 ")).as("status lines after a broken stream:\n%s", all).isEqualTo(1);
            assertThat(all).as("a truncated stream must not end like a complete one").doesNotEndWith("0\r\n\r\n");
        }
        assertThat(f.get("/ok").statusCode()).as("the server still serves").isEqualTo(200);
    }

    /** A client that sends its request and shuts its output down (half-close) still reads the answer. */
    @Test
    void aClientThatHalfClosesAfterItsRequestsStillGetsTheirAnswersInOrder() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
            s.shutdownOutput();
            String all = readToEnd(s);
            assertThat(count(all, "HTTP/1.1 200")).as("answers received:\n%s", all).isEqualTo(2);
            assertThat(all.indexOf("slow")).isLessThan(all.indexOf("abc"));
            assertThat(all.toLowerCase()).contains("connection: close");
        }
        awaitNoOpenConnection();
    }

    /** A half-closed idle keep-alive connection is closed at once, not after the idle timeout. */
    @Test
    void aHalfClosedIdleConnectionIsClosedAtOnce() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            assertThat(c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
        try (Socket s = connect()) {
            send(s, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            s.shutdownOutput();
            assertThat(readToEnd(s)).startsWith("HTTP/1.1 200");
        }
        try (Socket s = connect()) {
            send(s, "GET /ok HTTP/1.1\r\nHo"); // half a request, then the half-close
            s.shutdownOutput();
            readToEnd(s); // closed (with or without a 400), not held open
        }
        awaitNoOpenConnection();
    }

    /** A handler answering with an informational (1xx) status would leave the client waiting for a final one. */
    @Test
    void anInformationalStatusFromAHandlerIsNotSentAsTheFinalAnswer() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            RawConnection.Response r = c.send("GET /early-hints HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("ok");
        }
        assertThat(f.server.stats().routes().stream().filter(rs -> rs.route().endsWith("/early-hints"))
                .mapToLong(rs -> rs.responses(5)).sum()).isEqualTo(1);
    }

    /**
     * Pipelined requests already running when the runtime closes are all answered within the deadline: only the
     * last answer carries {@code Connection: close}. Closing after the first would drop answers to requests the
     * server has already executed (RFC 9112 section 9.6: nothing after a close is processed).
     */
    @Test
    void aShutdownAnswersEveryPipelinedRequestAlreadyRunningBeforeClosing() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /slower HTTP/1.1\r\nHost: x\r\n\r\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (inFlight() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(inFlight()).as("both requests running").isEqualTo(2);
            Thread closer = new Thread(f::close, "closer");
            closer.start();
            String all = readToEnd(s);
            closer.join(10_000);
            assertThat(count(all, "HTTP/1.1 200")).as("answers received:\n%s", all).isEqualTo(2);
            assertThat(count(all.toLowerCase(), "connection: close")).as("closes announced").isEqualTo(1);
            assertThat(all.toLowerCase().indexOf("connection: close")).as("on the last answer")
                    .isGreaterThan(all.indexOf("slow\r\n"));
            assertThat(all).endsWith("slower");
        }
    }

    /** HEAD with {@code Expect: 100-continue}: the 100, then an answer without a body; the connection goes on. */
    @Test
    void headWithExpectContinueGetsTheContinueThenABodilessAnswer() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            c.send("HEAD /ok HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            RawConnection.Response head = c.send("hi").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("2");
            assertThat(c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("ok");
        }
    }

    /** A handler that leaves its ring worker's interrupt flag set does not break the requests after it. */
    @Test
    void aHandlerRestoringItsInterruptFlagDoesNotBreakLaterRequests() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            for (int i = 0; i < 6; i++) {
                assertThat(c.send("GET /interrupts HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
                assertThat(c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).as("a sleep after it")
                        .isEqualTo("slow");
            }
        }
    }

    /**
     * An answer already handed to Netty but not yet through to a slow reader when the runtime closes is still
     * delivered whole: the shutdown's close of a connection with no request due waits for what is written.
     */
    @Test
    void aShutdownDoesNotDropAnAnswerStillBeingWrittenToASlowReader() throws Exception {
        byte[] big = new byte[16 << 20];
        java.util.Arrays.fill(big, (byte) 'b');
        try (Fixture g = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(HttpSettings.PORT, 0).set(Settings.SHUTDOWN_DEADLINE_MS, 10_000L).build())) {
            g.start(g.builder().get("/big", r -> HttpResponse.bytes(200, big, "application/octet-stream")));
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(16 * 1024);
                s.connect(new InetSocketAddress("127.0.0.1", g.server.port()), 5_000);
                s.setSoTimeout(8_000);
                send(s, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
                RouteStats route = g.server.stats().routes().get(0);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (route.responses(2) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5); // answered (handed to Netty); the client has read none of it yet
                }
                assertThat(route.responses(2)).isEqualTo(1);
                Thread closer = new Thread(g::close, "closer");
                closer.start();
                Thread.sleep(200); // the shutdown runs while the answer is still being written
                String all = readToEnd(s);
                closer.join(15_000);
                int bodyStart = all.indexOf("\r\n\r\n") + 4;
                assertThat(all).startsWith("HTTP/1.1 200");
                assertThat(all.length() - bodyStart).as("body bytes received").isEqualTo(big.length);
            }
        }
    }

    /** A 413 with a pipelined request behind it: the 413 alone, then the close; the server goes on serving. */
    @Test
    void aTooLargeBodyWithARequestBehindItGetsOnly413ThenTheClose() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n" + "x".repeat(2000)
                    + "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            String all = readToEnd(s);
            assertThat(all).startsWith("HTTP/1.1 413");
            assertThat(count(all, "HTTP/1.1 ")).as("answers:\n%s", all).isEqualTo(1);
        }
        assertThat(f.get("/ok").body()).isEqualTo("ok");
    }

    private long inFlight() {
        return f.server.stats().routes().stream().mapToLong(RouteStats::inFlight).sum();
    }

    private void awaitNoOpenConnection() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (f.server.stats().openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(f.server.stats().openConnections()).as("connections the server still holds").isZero();
    }
}
