package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * The idle timeout on TLS connections (review of ADR 0014 decision 7): bytes that the TLS layer buffers without
 * decrypting anything (a record trickled a byte at a time) reach neither the request deadline (no request byte
 * arrives) nor the codec, so they must not count as activity either, else a client keeps a connection open forever
 * by sending a byte every half timeout.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsIdleTest {
    private static final long IDLE_MS = 300;

    private static final byte[] LARGE = new byte[16 << 20];
    private static SslContext server;
    private static SSLContext clientTls;

    @BeforeAll
    static void certificates(@TempDir Path dir) throws Exception {
        KeyStore store = TlsTest.selfSigned(dir);
        server = TlsTest.serverContext(store);
        clientTls = TlsTest.clientContext(store);
    }

    private static Fixture fixture() {
        return new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2).set(HttpSettings.PORT, 0)
                .set(HttpSettings.IDLE_TIMEOUT_MS, IDLE_MS)
                .set(HttpSettings.REQUEST_READ_TIMEOUT_MS, 20_000L).build());
    }

    /**
     * A client that never reads its large answer but asks for TLS key updates (each makes the TLS layer write a
     * record of its own, behind the stuck answer): the outbound buffer grows, which is not the answer draining.
     */
    @Test
    void keyUpdatesFromAClientThatNeverReadsDoNotKeepItsConnectionOpen() throws Exception {
        try (Fixture f = fixture()) {
            f.start(f.builder().tls(server).get("/large",
                    r -> HttpResponse.bytes(200, LARGE, "application/octet-stream")));
            try (Socket raw = new Socket()) {
                raw.setReceiveBufferSize(16 * 1024);
                raw.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 5_000);
                SSLSocket tls = (SSLSocket) clientTls.getSocketFactory().createSocket(raw, "127.0.0.1",
                        f.server.port(), false);
                tls.setEnabledProtocols(new String[] {"TLSv1.3"});
                tls.startHandshake();
                tls.getOutputStream().write("GET /large HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                long start = System.nanoTime();
                // the close itself waits for the TLS close_notify to flush behind the stuck answer: Netty's
                // closeNotifyFlushTimeout, 3 s, after the idle timeout
                long limit = TimeUnit.MILLISECONDS.toNanos(IDLE_MS * 20);
                boolean closed = false;
                while (System.nanoTime() - start < limit) {
                    Thread.sleep(IDLE_MS / 3);
                    if (f.server.stats().openConnections() == 0) {
                        closed = true;
                        break;
                    }
                    try {
                        tls.startHandshake(); // on TLS 1.3: a KeyUpdate asking the server for one too
                    } catch (IOException reset) {
                        closed = true;
                        break;
                    }
                }
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(closed).as("closed by the idle timeout within %d ms (open after %d ms)", IDLE_MS * 20,
                        tookMs).isTrue();
            }
        }
    }

    @Test
    void aTrickledTlsRecordDoesNotKeepAConnectionOpen() throws Exception {
        try (Fixture f = fixture()) {
            f.start(f.builder().tls(server).get("/", r -> HttpResponse.text(200, "ok")));
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 5_000);
                SSLSocket tls = (SSLSocket) clientTls.getSocketFactory().createSocket(raw, "127.0.0.1",
                        f.server.port(), false);
                tls.startHandshake();
                // an application-data record header announcing 16 KiB, then its body one byte every IDLE_MS / 3
                byte[] header = {0x17, 0x03, 0x03, 0x40, 0x00};
                OutputStream out = raw.getOutputStream();
                long start = System.nanoTime();
                long limit = TimeUnit.MILLISECONDS.toNanos(IDLE_MS * 10);
                boolean closed = false;
                for (int i = 0; System.nanoTime() - start < limit; i++) {
                    try {
                        out.write(i < header.length ? header[i] : 0);
                        out.flush();
                    } catch (IOException reset) {
                        closed = true;
                        break;
                    }
                    if (f.server.stats().openConnections() == 0) {
                        closed = true;
                        break;
                    }
                    Thread.sleep(IDLE_MS / 3);
                }
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(closed).as("closed by the idle timeout within %d ms (open after %d ms)", IDLE_MS * 10,
                        tookMs).isTrue();
            }
        }
    }
}
