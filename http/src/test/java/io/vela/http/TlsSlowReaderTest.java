package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The minimum drain rate on a TLS connection (ADR 0014, decision 8): the encrypted answer drains from the outbound
 * buffer like a plain one, and the slow reader is closed without waiting for a close_notify to get out behind its
 * stuck answer; the server then serves a normal TLS request.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TlsSlowReaderTest {
    private static final long MIN_RATE = 512 * 1024;
    private static final long WINDOW_MS = 500;
    /**
     * 2 windows (the first may pass on what the kernels took at once), 3 more its surplus may pay for
     * ({@code SendRate.CARRIED_WINDOWS}), and scheduling slack.
     */
    private static final long CLOSED_WITHIN_MS = (2 + 3) * WINDOW_MS + 1500;
    private static final byte[] LARGE = new byte[8 << 20];
    private static SslContext server;
    private static SSLContext clientTls;

    @BeforeAll
    static void certificates(@TempDir Path dir) throws Exception {
        KeyStore store = TlsTest.selfSigned(dir);
        server = TlsTest.serverContext(store);
        clientTls = TlsTest.clientContext(store);
    }

    private static SSLSocket connect(int port, int receiveBuffer) throws IOException {
        Socket raw = new Socket();
        raw.setReceiveBufferSize(receiveBuffer);
        raw.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        raw.setSoTimeout(5_000);
        SSLSocket tls = (SSLSocket) clientTls.getSocketFactory().createSocket(raw, "127.0.0.1", port, true);
        tls.startHandshake();
        return tls;
    }

    private static void get(SSLSocket tls, String path) throws IOException {
        tls.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(
                StandardCharsets.US_ASCII));
        tls.getOutputStream().flush();
    }

    /** @return bytes read, or -1 at the end of the stream or a reset */
    private static int readOrEnd(InputStream in, byte[] into) {
        try {
            return in.read(into);
        } catch (IOException reset) {
            return -1;
        }
    }

    @Test
    void aTlsClientTricklingALargeAnswerIsClosedAndCounted() throws Exception {
        try (Fixture f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(HttpSettings.PORT, 0).set(HttpSettings.IDLE_TIMEOUT_MS, 10_000L)
                .set(HttpSettings.MIN_SEND_RATE, MIN_RATE).set(HttpSettings.SEND_RATE_WINDOW_MS, WINDOW_MS)
                .build())) {
            f.start(f.builder().tls(server).eventLoops(1)
                    .get("/large", r -> HttpResponse.bytes(200, LARGE, "application/octet-stream"))
                    .get("/small", r -> HttpResponse.text(200, "small")));
            long read = 0;
            long start;
            long tookMs;
            try (SSLSocket tls = connect(f.server.port(), 16 * 1024)) {
                get(tls, "/large");
                start = System.nanoTime();
                InputStream in = tls.getInputStream();
                byte[] into = new byte[2048]; // 2 KiB per 100 ms: 20 KiB/s, far below the minimum
                long end = start + TimeUnit.MILLISECONDS.toNanos(CLOSED_WITHIN_MS);
                while (System.nanoTime() < end && f.server.stats().slowReadersClosed() == 0) {
                    int n = readOrEnd(in, into);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                    Thread.sleep(100);
                }
                tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(f.server.stats().slowReadersClosed()).as("closed as a slow reader within %d ms (read %d "
                        + "bytes in %d ms)", CLOSED_WITHIN_MS, read, tookMs).isEqualTo(1);
                // closed at once, not after a close_notify waited behind the stuck answer (3 s): still open here
                long closeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (f.server.stats().openConnections() > 0 && System.nanoTime() < closeBy) {
                    Thread.sleep(10);
                }
                assertThat(f.server.stats().openConnections()).as("open connections on the server within 1 s of "
                        + "the verdict, the client's socket still open").isZero();
                // what the client's kernel and TLS layer still hold comes first, then the end
                long endOfStream = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                int n = 0;
                while (n >= 0 && System.nanoTime() < endOfStream) {
                    n = readOrEnd(in, into);
                    read += Math.max(0, n);
                }
                assertThat(n).as("the client sees the stream end").isNegative();
            }
            assertThat(tookMs).as("not judged before the first window ended").isGreaterThanOrEqualTo(WINDOW_MS - 50);
            assertThat(read).isLessThan(LARGE.length);
            try (SSLSocket tls = connect(f.server.port(), 64 * 1024)) {
                get(tls, "/small");
                String head = new String(tls.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(head).as("a normal TLS request afterwards").isEqualTo("HTTP/1.1 200");
            }
        }
    }
}
