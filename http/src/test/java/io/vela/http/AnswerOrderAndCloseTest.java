package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Answers the server writes on its own (408 on a slow request, {@code 100 Continue}, 413 and 417 before a body) leave
 * after the answers to the requests before them on the connection; and a connection closed after an answer while
 * the client still sends does not reset that answer away.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnswerOrderAndCloseTest {
    private static final String SLOW = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";

    private static Fixture fixture(long readTimeoutMs) {
        return new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2).set(HttpSettings.PORT, 0)
                .set(HttpSettings.REQUEST_READ_TIMEOUT_MS, readTimeoutMs)
                .set(HttpSettings.MAX_CONTENT_LENGTH, 1024).build());
    }

    private static HttpServer.Builder routes(Fixture f) {
        return f.builder()
                .get("/slow", r -> {
                    Thread.sleep(700); // on a ring worker: the answer is still due when the next request arrives
                    return HttpResponse.text(200, "slow");
                })
                .post("/echo", r -> HttpResponse.text(200, r.bodyText()));
    }

    @Test
    void aReadTimeoutIsAnsweredAfterTheRequestBeforeIt() throws Exception {
        try (Fixture f = fixture(250)) {
            f.start(routes(f));
            try (RawConnection c = new RawConnection(f.server.port())) {
                c.send(SLOW);
                Thread.sleep(50);
                c.send("GET /slow HTTP/1.1\r\nHo"); // never finished: 408 once its deadline passes
                RawConnection.Response first = c.read();
                assertThat(first.status()).as("the first answer belongs to the first request").isEqualTo(200);
                assertThat(first.body()).isEqualTo("slow");
                assertThat(c.read().status()).isEqualTo(408);
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void continueIsSentOnlyAfterTheAnswersBeforeIt() throws Exception {
        try (Fixture f = fixture(5_000)) {
            f.start(routes(f));
            try (RawConnection c = new RawConnection(f.server.port())) {
                c.send(SLOW + "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
                RawConnection.Response first = c.read();
                assertThat(first.status()).as("the first answer belongs to the first request").isEqualTo(200);
                assertThat(first.body()).isEqualTo("slow");
                assertThat(c.read().status()).isEqualTo(100);
                c.send("hello");
                RawConnection.Response echo = c.read();
                assertThat(echo.status()).isEqualTo(200);
                assertThat(echo.body()).isEqualTo("hello");
            }
        }
    }

    @Test
    void tooLargeAndUnknownExpectationsAreAnsweredAfterTheAnswersBeforeThem() throws Exception {
        try (Fixture f = fixture(5_000)) {
            f.start(routes(f));
            for (String[] bad : new String[][] {{"Expect: 100-continue\r\nContent-Length: 100000", "413"},
                    {"Expect: teapot\r\nContent-Length: 5", "417"}}) {
                try (RawConnection c = new RawConnection(f.server.port())) {
                    c.send(SLOW + "POST /echo HTTP/1.1\r\nHost: x\r\n" + bad[0] + "\r\n\r\n");
                    RawConnection.Response first = c.read();
                    assertThat(first.status()).as("%s: the first answer belongs to the first request", bad[0])
                            .isEqualTo(200);
                    assertThat(first.body()).isEqualTo("slow");
                    assertThat(c.read().status()).as(bad[0]).isEqualTo(Integer.parseInt(bad[1]));
                    assertThat(c.closedByServer()).isTrue();
                }
            }
        }
    }

    @Test
    void anAnswerBeforeACloseIsNotResetAwayByUnreadInput() throws Exception {
        byte[] big = new byte[4 << 20];
        Arrays.fill(big, (byte) 'b');
        try (Fixture f = fixture(5_000)) {
            f.start(f.builder().get("/big", r -> HttpResponse.bytes(200, big, "application/octet-stream")));
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(16 * 1024);
                s.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 5_000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(100);
                // the client goes on sending (a pipelined request the server will never read)
                out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\n\r\n" + "x".repeat(60_000))
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(300);
                InputStream in = s.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    got.write(buf, 0, n); // a reset here (SocketException) loses the answer: the test fails
                }
                String text = got.toString(StandardCharsets.ISO_8859_1);
                assertThat(text).startsWith("HTTP/1.1 200");
                int bodyStart = text.indexOf("\r\n\r\n") + 4;
                assertThat(got.size() - bodyStart).as("body bytes received").isEqualTo(big.length);
            }
        }
    }

    @Test
    void aLingeringConnectionIsClosedByTheReadTimeoutWhenTheClientNeverCloses() throws Exception {
        try (Fixture f = fixture(300)) {
            f.start(routes(f));
            try (RawConnection c = new RawConnection(f.server.port())) {
                c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
                assertThat(c.read().body()).isEqualTo("hi");
                long start = System.nanoTime();
                assertThat(c.closedByServer()).as("a FIN right after the answer").isTrue();
                c.send("more bytes the server reads and drops"); // the client neither stops nor closes
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (f.server.stats().openConnections() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(f.server.stats().openConnections()).as("connections the server still holds").isZero();
                assertThat(tookMs).as("closed after the linger (read timeout 300 ms)").isBetween(200L, 3_000L);
            }
        }
    }

    @Test
    void aClientLingeringAfterItsLastAnswerDoesNotHoldUpShutdown() throws Exception {
        Fixture f = fixture(20_000); // the linger would last 20 s; the shutdown deadline is 5 s
        f.start(routes(f));
        try (RawConnection c = new RawConnection(f.server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
            assertThat(c.read().body()).isEqualTo("hi");
            assertThat(c.closedByServer()).isTrue(); // half-closed; the client keeps its side open
            long start = System.nanoTime();
            f.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("runtime.close() took (ms)")
                    .isLessThan(2_500L);
        }
    }
}
