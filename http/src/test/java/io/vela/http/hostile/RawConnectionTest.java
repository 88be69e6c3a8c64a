package io.vela.http.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The raw test client itself, against a scripted socket server: it must tell a response, a close and a reset apart. */
@Timeout(10)
class RawConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private ServerSocket listener;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
    }

    /** A server that accepts one connection, reads {@code readBytes} bytes, writes the reply, then acts. */
    private CompletableFuture<Void> serve(int readBytes, String reply, boolean thenReset) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = listener.accept()) {
                InputStream in = s.getInputStream();
                in.readNBytes(readBytes);
                OutputStream out = s.getOutputStream();
                out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (thenReset) {
                    s.setSoLinger(true, 0);
                } else {
                    Thread.sleep(300);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** @return a connection to the scripted server that has sent one byte, "x" */
    private RawConnection sendX() throws IOException {
        RawConnection c = RawConnection.open(listener.getLocalPort());
        try {
            c.write("x");
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    @Test
    void parsesContentLengthResponseAndSeesTheClose() throws Exception {
        CompletableFuture<Void> server = serve(1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nok", false);
        try (RawConnection c = sendX()) {
            RawResponse r = c.readResponse(WAIT).orElseThrow();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("ok");
            assertThat(r.header("x-a")).contains("b");
            assertThat(c.closedWithin(WAIT)).isTrue();
        }
        server.get(5, TimeUnit.SECONDS);
    }

    @Test
    void parsesInterimThenChunkedFinalResponse() throws Exception {
        CompletableFuture<Void> server = serve(1, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n", false);
        try (RawConnection c = sendX()) {
            RawResponse interim = c.readResponse(WAIT).orElseThrow();
            assertThat(interim.interim()).isTrue();
            RawResponse fin = c.readFinalResponse(WAIT).orElseThrow();
            assertThat(fin.status()).isEqualTo(201);
            assertThat(fin.bodyText()).isEqualTo("abcde");
        }
        server.get(5, TimeUnit.SECONDS);
    }

    @Test
    void bodyWithoutLengthRunsToTheClose() throws Exception {
        CompletableFuture<Void> server = serve(1, "HTTP/1.0 400 Bad Request\r\nConnection: close\r\n\r\nbad", false);
        try (RawConnection c = sendX()) {
            RawResponse r = c.readResponse(WAIT).orElseThrow();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.announcesClose()).isTrue();
            assertThat(r.bodyText()).isEqualTo("bad");
            assertThat(c.sawEof()).isTrue();
        }
        server.get(5, TimeUnit.SECONDS);
    }

    @Test
    void closeOrResetWithoutResponseIsEmpty() throws Exception {
        CompletableFuture<Void> closing = serve(1, "", false);
        try (RawConnection c = sendX()) {
            assertThat(c.readResponse(WAIT)).isEqualTo(Optional.empty());
        }
        closing.get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> resetting = serve(1, "", true);
        try (RawConnection c = sendX()) {
            assertThat(c.readResponse(WAIT)).isEqualTo(Optional.empty());
        }
        resetting.get(5, TimeUnit.SECONDS);
    }

    @Test
    void silentOpenServerIsATimeoutNotAClose() throws Exception {
        CompletableFuture<Void> server = serve(1, "", false);
        try (RawConnection c = sendX()) {
            assertThat(c.closedWithin(Duration.ofMillis(100))).isFalse();
        }
        server.get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> again = serve(1, "", false);
        try (RawConnection c = RawConnection.open(listener.getLocalPort())) {
            assertThatThrownBy(() -> c.readResponse(Duration.ofMillis(100))).isInstanceOf(SocketTimeoutException.class);
            c.write("x");
        }
        again.get(5, TimeUnit.SECONDS);
    }

    @Test
    void truncatedResponseIsAnError() throws Exception {
        CompletableFuture<Void> server = serve(1, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", false);
        try (RawConnection c = sendX()) {
            assertThatThrownBy(() -> c.readResponse(WAIT)).isInstanceOf(IOException.class)
                    .hasMessageContaining("closed in the middle");
        }
        server.get(5, TimeUnit.SECONDS);
    }
}
