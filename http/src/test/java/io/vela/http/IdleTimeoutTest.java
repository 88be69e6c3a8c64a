package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The idle timeout seen from the write side (ADR 0014, decision 7): a client that stops reading a large answer is
 * closed about one timeout after the answer was flushed; one that reads it slowly, longer than the timeout but
 * without pausing that long, gets all of it; a connection busy with a long handler is not idle.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdleTimeoutTest {
    private static final long IDLE_MS = 300;
    /**
     * The slow reader's timeout: long beside the reader's pauses, so that a stall of the test's own thread on a
     * loaded machine is not taken for idleness.
     */
    private static final long SLOW_IDLE_MS = 2_000;
    /** Larger than what loopback's socket buffers hold, so the answer stays in the server's outbound buffer. */
    private static final byte[] LARGE = new byte[16 << 20];

    private static Fixture fixture(long idleMs) {
        return new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2).set(HttpSettings.PORT, 0)
                .set(HttpSettings.IDLE_TIMEOUT_MS, idleMs).build());
    }

    private static Socket connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(receiveBuffer);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void get(Socket s, String path) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void aClientThatStopsReadingIsClosedAfterTheTimeout() throws Exception {
        try (Fixture f = fixture(IDLE_MS)) {
            f.start(f.builder().get("/large", r -> HttpResponse.bytes(200, LARGE, "application/octet-stream")));
            try (Socket s = connect(f.server.port(), 16 * 1024)) {
                get(s, "/large");
                long start = System.nanoTime();
                for (int i = 0; i < 100 && f.server.stats().openConnections() == 0; i++) {
                    Thread.sleep(10); // accepted
                }
                assertThat(f.server.stats().openConnections()).isEqualTo(1);
                while (f.server.stats().openConnections() > 0 && System.nanoTime() - start < 8_000_000_000L) {
                    Thread.sleep(20);
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(f.server.stats().openConnections()).as("open connections after %d ms", ms).isZero();
                assertThat(ms).isGreaterThanOrEqualTo(IDLE_MS - 50);
            }
            // and the server still serves
            assertThat(f.client.send(java.net.http.HttpRequest.newBuilder(f.uri("/large")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body()).hasSize(LARGE.length);
        }
    }

    @Test
    void aClientThatReadsSlowlyButSteadilyGetsTheWholeAnswer() throws Exception {
        byte[] body = LARGE;
        try (Fixture f = fixture(SLOW_IDLE_MS)) {
            f.start(f.builder().get("/large", r -> HttpResponse.bytes(200, body, "application/octet-stream")));
            try (Socket s = connect(f.server.port(), 64 * 1024)) {
                get(s, "/large");
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                long start = System.nanoTime();
                int n;
                // reads pause for 20 ms between chunks of at most 64 KiB; the answer is larger than what the kernel
                // buffers hold, so its write completes only after more than one timeout of steady reading
                while (total < body.length && (n = in.read(buf)) > 0) {
                    total += n;
                    Thread.sleep(20);
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(ms).as("the read lasted past one idle timeout").isGreaterThan(SLOW_IDLE_MS);
                assertThat(total).as("bytes read (head and body)").isGreaterThan(body.length);
            }
        }
    }

    @Test
    void aConnectionWaitingForItsHandlerIsNotIdle() throws Exception {
        try (Fixture f = fixture(IDLE_MS)) {
            f.start(f.builder().get("/slow", r -> {
                try {
                    Thread.sleep(3 * IDLE_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return HttpResponse.text(200, "late");
            }));
            try (Socket s = connect(f.server.port(), 64 * 1024)) {
                get(s, "/slow");
                byte[] head = s.getInputStream().readNBytes(12);
                assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            }
        }
    }
}
