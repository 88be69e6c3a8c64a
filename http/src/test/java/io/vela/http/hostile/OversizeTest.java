package io.vela.http.hostile;

import static io.vela.http.hostile.HostileCase.send;
import static io.vela.http.hostile.HostileServer.MAX_BODY;
import static io.vela.http.hostile.HostileServer.MAX_HEADERS;
import static io.vela.http.hostile.HostileServer.MAX_LINE;
import static io.vela.http.hostile.Wire.HOST;
import static io.vela.http.hostile.Wire.get;
import static io.vela.http.hostile.Wire.head;
import static io.vela.http.hostile.Wire.post;
import static io.vela.http.hostile.Wire.repeat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parts larger than the server's limits: request line 414, header block 431 (one huge header, many headers, a huge
 * name), body 413 — all with a close, since the rest of the oversized part is never read; the body case answers
 * before the client has finished sending. Parts just under the limits are served.
 */
class OversizeTest extends HostileSuite {
    /** Far more body than the limit and the socket buffers together. */
    private static final long HUGE_BODY = 256L * 1024 * 1024;

    static Stream<HostileCase> cases() {
        return Stream.of(
                send("request target twice the line limit", get("/hello?q=" + repeat('a', 2 * MAX_LINE)))
                        .answersAndCloses(414),
                send("request target of 1 MiB", get("/" + repeat('a', 1 << 20))).answersAndCloses(414),
                send("method longer than the line limit", head(repeat('A', 2 * MAX_LINE) + " /hello HTTP/1.1", HOST))
                        .answersAndCloses(414, 501),
                send("one header value twice the header limit", get("/hello", "X-Big: " + repeat('v', 2 * MAX_HEADERS)))
                        .answersAndCloses(431),
                send("header name twice the header limit", get("/hello", repeat('X', 2 * MAX_HEADERS) + ": v"))
                        .answersAndCloses(431),
                send("headers of 100 bytes each, past the limit", get("/hello", headers(MAX_HEADERS / 50, 100)))
                        .answersAndCloses(431),
                send("too many headers (4096 tiny ones)", get("/hello", headers(4096, 0))).answersAndCloses(431),
                send("declared body one byte past the limit", post(repeat('b', MAX_BODY + 1),
                        "Content-Length: " + (MAX_BODY + 1))).answersAndCloses(413),
                send("chunked body one byte past the limit", post(Integer.toHexString(MAX_BODY + 1) + "\r\n"
                        + repeat('b', MAX_BODY + 1) + "\r\n0\r\n\r\n", "Transfer-Encoding: chunked"))
                        .answersAndCloses(413),
                // just under the limits: served
                send("request target just under the line limit (valid)",
                        get("/hello?q=" + repeat('a', MAX_LINE - 64))).answersAndKeepsAlive(200).withBody("ok"),
                send("header block just under the limit (valid)", get("/hello", headers(MAX_HEADERS / 200, 100)))
                        .answersAndKeepsAlive(200).withBody("ok"),
                send("body exactly at the limit (valid)", post(repeat('b', MAX_BODY), "Content-Length: " + MAX_BODY))
                        .answersAndKeepsAlive(200).withBody(repeat('b', MAX_BODY)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answeredAsSpecified(HostileCase c) throws IOException {
        HostileChecks.check(port(), c);
    }

    /** The 413 comes from the declared length alone: the client has sent only the head and a little body. */
    @Test
    void declaredOversizeBodyIsRefusedBeforeItIsSent() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            conn.write(head("POST /echo HTTP/1.1", HOST, "Content-Length: " + HUGE_BODY) + repeat('b', 1024));
            Optional<RawResponse> r = HostileChecks.readAnswer(conn, "declared oversize body", "413 then close");
            assertThat(r).as("answered before the body was sent").isPresent();
            assertThat(r.get().status()).as("%s", r.get()).isEqualTo(413);
            HostileChecks.assertClosesAfterAnswer(conn, "declared oversize body", false);
        }
        HostileChecks.assertStillServes(port());
    }

    /**
     * A chunked body with no declared length, streamed without end: the server answers 413 and closes while the
     * client is still writing; the client never gets to write more than a small part of it.
     */
    @Test
    void streamedOversizeBodyIsCutOffWhileTheClientIsSending() throws Exception {
        AtomicLong written = new AtomicLong();
        try (RawConnection conn = RawConnection.open(port())) {
            conn.write(head("POST /echo HTTP/1.1", HOST, "Transfer-Encoding: chunked"));
            CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> writeChunksUntilRefused(conn,
                    written));
            Optional<RawResponse> r = conn.readFinalResponse(Duration.ofSeconds(5));
            assertThat(r).as("answered while the client was still sending").isPresent();
            assertThat(r.get().status()).as("%s", r.get()).isEqualTo(413);
            assertThat(conn.closedWithin(HostileChecks.ANSWER)).as("closed after the 413").isTrue();
            assertThat(writer.get(10, TimeUnit.SECONDS)).as("the writer was cut off by the close").isTrue();
            assertThat(written.get()).as("bytes the client wrote before the close").isLessThan(HUGE_BODY);
        }
        HostileChecks.assertStillServes(port());
    }

    /** @return true when a write failed (the server closed), false when all of {@link #HUGE_BODY} went through */
    private static boolean writeChunksUntilRefused(RawConnection conn, AtomicLong written) {
        byte[] chunk = ("2000\r\n" + repeat('c', 0x2000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try {
            while (written.get() < HUGE_BODY) {
                conn.write(chunk);
                written.addAndGet(chunk.length);
            }
            return false;
        } catch (IOException closed) {
            return true;
        }
    }

    /** @return {@code count} header lines of about {@code size} bytes each (at least {@code X-Hn: v}) */
    private static String[] headers(int count, int size) {
        String[] h = new String[count];
        for (int i = 0; i < count; i++) {
            String name = "X-H" + i + ": ";
            h[i] = name + repeat('v', Math.max(1, size - name.length()));
        }
        return h;
    }
}
