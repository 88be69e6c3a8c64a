package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaConfig;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Review of the minimum drain rate (ADR 0014 decision 8) against the graceful shutdown: a client that reads its large
 * answer too slowly for the shutdown deadline (but not so slowly that a send-rate window has judged it yet) holds
 * {@code runtime.close()} until the deadline, no longer, and the answer cut there shows in the shutdown report.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SlowReaderShutdownTest {
    private static final long DEADLINE_MS = 800;
    private static final byte[] LARGE = new byte[8 << 20];

    @Test
    void anAnswerStillGoingOutAtTheDeadlineIsCutAndReported() throws Exception {
        Fixture f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).set(HttpSettings.PORT, 0)
                .set(Settings.SHUTDOWN_DEADLINE_MS, DEADLINE_MS).build()); // the default rate: 10 s windows
        f.start(f.builder().host("127.0.0.1").get("/large",
                r -> HttpResponse.bytes(200, LARGE, "application/octet-stream")));
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /large HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).as("the answer started").isPositive();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (f.server.stats().routes().get(0).inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5); // the handler has answered: the answer is being written
            }
            long start = System.nanoTime();
            f.runtime.close(); // the client reads nothing more
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // participants (the server) get half the runtime's deadline
            assertThat(tookMs).as("close held by the slow reader until its deadline, no longer")
                    .isBetween(DEADLINE_MS / 2 - 100, DEADLINE_MS + 3_000);
        }
        ShutdownReport http = f.runtime.shutdownReports().get(0);
        assertThat(http.name()).startsWith("http:");
        assertThat(http.completed()).as("an answer cut at the deadline: %s", http).isFalse();
        assertThat(http.notRun()).as("answers cut: %s", http).isEqualTo(1);
    }

    /**
     * The same over TLS: the close at the deadline must not wait for a close_notify to get out behind the stuck
     * answer (Netty's 3 s {@code closeNotifyFlushTimeout}): the runtime's close returns about its deadline.
     */
    @Test
    void overTlsTheCloseAtTheDeadlineDoesNotWaitBehindTheStuckAnswer(@org.junit.jupiter.api.io.TempDir
                                                                         java.nio.file.Path dir) throws Exception {
        java.security.KeyStore store = TlsTest.selfSigned(dir);
        javax.net.ssl.SSLContext clientTls = TlsTest.clientContext(store);
        Fixture f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).set(HttpSettings.PORT, 0)
                .set(Settings.SHUTDOWN_DEADLINE_MS, DEADLINE_MS).build());
        f.start(f.builder().host("127.0.0.1").tls(TlsTest.serverContext(store))
                .get("/large", r -> HttpResponse.bytes(200, LARGE, "application/octet-stream")));
        try (Socket raw = new Socket()) {
            raw.setReceiveBufferSize(16 * 1024);
            raw.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 5_000);
            raw.setSoTimeout(5_000);
            javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) clientTls.getSocketFactory()
                    .createSocket(raw, "127.0.0.1", f.server.port(), true);
            tls.startHandshake();
            tls.getOutputStream().write("GET /large HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            assertThat(tls.getInputStream().read()).as("the answer started").isPositive();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (f.server.stats().routes().get(0).inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long start = System.nanoTime();
            f.runtime.close(); // the client reads nothing more
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMs).as("close of a TLS server with a slow reader, deadline %d ms", DEADLINE_MS)
                    .isLessThan(DEADLINE_MS + 1_500);
        }
        assertThat(f.runtime.shutdownReports().get(0).notRun()).as("answers cut").isEqualTo(1);
    }
}
