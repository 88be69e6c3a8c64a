package io.vela.http.hostile;

import static io.vela.http.hostile.HostileServer.MAX_PIPELINED;
import static io.vela.http.hostile.Wire.get;
import static io.vela.http.hostile.Wire.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pipelined requests are answered in order, each once; a flood far past {@code http.max-pipelined} is either
 * answered whole (the server paused reading: the bound held without refusing) or answered in order up to a refusal
 * and a close — never out of order, duplicated, or silently dropped on an open connection. A malformed request in
 * the middle of a pipeline is answered 400 after the requests before it, and nothing after it is answered; nor is
 * anything after a request that asked to close.
 */
class PipeliningTest extends HostileSuite {
    private static final int FLOOD = 2000;

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            conn.write(get("/seq/1") + post("hello", "Content-Length: 5") + get("/seq/3"));
            assertSeq(conn, "1");
            RawResponse echo = conn.readFinalResponse(HostileChecks.ANSWER).orElseThrow();
            assertThat(echo.bodyText()).isEqualTo("hello");
            assertSeq(conn, "3");
            HostileChecks.assertServesOn(conn, "the pipelined connection afterwards");
        }
    }

    @Test
    void floodPastTheDepthBoundIsAnsweredInOrderOrRefusedAndClosed() throws Exception {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < FLOOD; i++) {
            all.append(get("/seq/" + i));
        }
        try (RawConnection conn = RawConnection.open(port())) {
            CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(
                    () -> HostileChecks.writeTolerantly(conn, all.toString().getBytes(
                            java.nio.charset.StandardCharsets.ISO_8859_1)));
            int answered = 0;
            boolean refused = false;
            while (answered < FLOOD) {
                Optional<RawResponse> r = conn.readFinalResponse(Duration.ofSeconds(5));
                if (r.isEmpty()) {
                    break;
                }
                if (r.get().status() != 200) {
                    assertThat(r.get().status()).as("a refusal of the flood: %s", r.get()).isIn(429, 503);
                    refused = true;
                    break;
                }
                assertThat(r.get().bodyText()).as("answer %d, in order", answered).isEqualTo(String.valueOf(answered));
                answered++;
            }
            if (answered < FLOOD) {
                assertThat(answered).as("answered before the refusal").isGreaterThanOrEqualTo(MAX_PIPELINED);
                HostileChecks.assertClosesAfterAnswer(conn, "a refused flood", !refused);
            }
            writer.get(10, TimeUnit.SECONDS);
        }
        HostileChecks.assertStillServes(port());
    }

    /**
     * A client that pipelines requests for large responses and never reads them: the server must stop reading
     * once its writes back up (the socket and Netty's write buffer are full) instead of answering, and buffering,
     * everything the client sent.
     */
    @Test
    void clientThatNeverReadsIsNotAnsweredWithoutBound() throws Exception {
        int sent = 8000; // 8000 x 64 KiB = 500 MiB of answers: far past what the sockets can hold
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < sent; i++) {
            all.append(get("/big"));
        }
        try (RawConnection conn = RawConnection.open(port())) {
            CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> HostileChecks.writeTolerantly(
                    conn, all.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
            long handled = settledCount(() -> server.requests("/big"));
            assertThat(handled).as("requests the server took on from a client that reads nothing")
                    .isLessThan(sent / 4);
            conn.close();
            writer.get(10, TimeUnit.SECONDS);
        }
        HostileChecks.assertStillServes(port());
    }

    /**
     * A client that pipelines requests for large responses and reads them only later: the answers come in order
     * and whole, either all of them or up to a 503 and a close; never a reset in the middle of an answer.
     */
    @Test
    void slowReaderOfLargeAnswersGetsThemWholeAndInOrder() throws Exception {
        int sent = 300; // 300 x 64 KiB: more than the sockets hold, so answers back up inside the server
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < sent; i++) {
            all.append(get("/big?i=" + i));
        }
        try (RawConnection conn = RawConnection.open(port())) {
            HostileChecks.writeTolerantly(conn, all.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            Thread.sleep(HostileServer.IDLE_MS / 2); // not reading, but not idle long enough to be closed
            int answered = 0;
            while (answered < sent) {
                Optional<RawResponse> r = conn.readFinalResponse(Duration.ofSeconds(5));
                assertThat(r).as("answer %d of %d: the connection ended without a refusal", answered, sent)
                        .isPresent();
                if (r.get().status() != 200) {
                    assertThat(r.get().status()).as("a refusal: %s", r.get()).isEqualTo(503);
                    HostileChecks.assertClosesAfterAnswer(conn, "a refused slow reader", false);
                    break;
                }
                assertThat(r.get().body()).as("answer %d whole", answered).hasSize(HostileServer.BIG.length);
                answered++;
            }
        }
        HostileChecks.assertStillServes(port());
    }

    /** @return the counter's value once it has started and then not moved for 500 ms (at most 8 s in all) */
    private static long settledCount(java.util.function.LongSupplier counter) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (counter.getAsLong() == 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        long last = -1;
        long now = counter.getAsLong();
        while (now != last && System.nanoTime() < end) {
            last = now;
            Thread.sleep(500);
            now = counter.getAsLong();
        }
        assertThat(now).as("the server took on some of the requests").isPositive();
        return now;
    }

    @Test
    void malformedRequestInAPipelineEndsIt() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            conn.write(get("/seq/1") + "GET /hel lo HTTP/1.1\r\nHost: localhost\r\n\r\n" + get("/seq/3"));
            assertSeq(conn, "1");
            RawResponse bad = conn.readFinalResponse(HostileChecks.ANSWER).orElseThrow();
            assertThat(bad.status()).isEqualTo(400);
            HostileChecks.assertClosesAfterAnswer(conn, "a pipeline after a malformed request", false);
        }
        HostileChecks.assertStillServes(port());
    }

    @Test
    void smuggleAttemptInAPipelineIsNotAnsweredTwice() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            conn.write(get("/seq/1") + post("0\r\n\r\n" + get("/seq/2"), "Content-Length: 4",
                    "Transfer-Encoding: chunked"));
            assertSeq(conn, "1");
            RawResponse bad = conn.readFinalResponse(HostileChecks.ANSWER).orElseThrow();
            assertThat(bad.status()).isEqualTo(400);
            HostileChecks.assertClosesAfterAnswer(conn, "a pipeline after a smuggling attempt", false);
        }
        HostileChecks.assertStillServes(port());
    }

    @Test
    void bytesPastADeclaredLengthAreReadAsTheNextRequest() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            conn.write(post("helloGARBAGE\r\n\r\n", "Content-Length: 5"));
            RawResponse echo = conn.readFinalResponse(HostileChecks.ANSWER).orElseThrow();
            assertThat(echo.status()).as("the first answer, for the request with the body: %s", echo).isEqualTo(200);
            assertThat(echo.bodyText()).as("exactly the declared length").isEqualTo("hello");
            RawResponse bad = conn.readFinalResponse(HostileChecks.ANSWER).orElseThrow();
            assertThat(bad.status()).as("the rest, read as a request: %s", bad).isEqualTo(400);
            HostileChecks.assertClosesAfterAnswer(conn, "garbage after a body", false);
        }
        HostileChecks.assertStillServes(port());
    }

    @Test
    void nothingAfterConnectionCloseIsAnswered() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            conn.write(get("/seq/1", "Connection: close") + get("/seq/2"));
            assertSeq(conn, "1");
            HostileChecks.assertClosesAfterAnswer(conn, "a request pipelined after Connection: close", false);
        }
        HostileChecks.assertStillServes(port());
    }

    private static void assertSeq(RawConnection conn, String n) throws IOException {
        Optional<RawResponse> r = conn.readFinalResponse(HostileChecks.ANSWER);
        assertThat(r).as("answer for /seq/%s", n).isPresent();
        assertThat(r.get().status()).as("answer for /seq/%s, in pipeline order: %s", n, r.get()).isEqualTo(200);
        assertThat(r.get().bodyText()).as("answer for /seq/%s, in pipeline order", n).isEqualTo(n);
    }
}
