package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Review of the minimum drain rate (ADR 0014 decision 8): paths where an honest client was cut.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SendRateReviewTest {

    /**
     * A client that reads every answer at once is never judged ("a client that reads everything it is sent, however
     * little, is never judged"), whatever the rate asked for and on every transport: on io_uring a write stays in the
     * outbound buffer until its completion, so an answer just flushed looks like bytes waiting.
     */
    @ParameterizedTest
    @EnumSource(value = HttpTransport.class, names = {"NIO", "EPOLL", "IO_URING"})
    void aClientReadingEveryAnswerAtOnceIsNeverCut(HttpTransport transport) throws Exception {
        try (Fixture f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(HttpSettings.PORT, 0).set(HttpSettings.MIN_SEND_RATE, 1L << 30)
                .set(HttpSettings.SEND_RATE_WINDOW_MS, 10L).build())) {
            try {
                f.start(f.builder().host("127.0.0.1").transport(transport).eventLoops(1)
                        .get("/hello", r -> HttpResponse.text(200, "ok"))
                        .route("GET", "/loop", (HttpHandler) r -> HttpResponse.text(200, "ok"),
                                RouteOptions.defaults().nonBlocking()));
            } catch (VelaException notHere) {
                Assumptions.abort(transport + " is not available here: " + notHere.getMessage());
            }
            int answered = 0;
            try (RawConnection conn = new RawConnection(f.server.port())) {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
                while (System.nanoTime() < end) {
                    String path = answered % 2 == 0 ? "/hello" : "/loop";
                    RawConnection.Response r = conn.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                    assertThat(r.status()).isEqualTo(200);
                    answered++;
                }
            } catch (java.io.IOException cut) {
                throw new AssertionError("cut after " + answered + " answers read at once; slow readers counted: "
                        + f.server.stats().slowReadersClosed(), cut);
            }
            assertThat(f.server.stats().slowReadersClosed()).as("slow readers among prompt readers (%d answers)",
                    answered).isZero();
        }
    }

    /**
     * A minimum of less than one byte per window cannot be judged as configured (the window would have to ask for a
     * whole byte, a higher rate than the one set): refused at start, naming both keys, their values and the least
     * valid rate for that window.
     */
    @org.junit.jupiter.api.Test
    void aRateOfLessThanOneBytePerWindowIsRefusedNamingBothKeys() {
        try (Fixture f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(HttpSettings.PORT, 0).set(HttpSettings.MIN_SEND_RATE, 1L)
                .set(HttpSettings.SEND_RATE_WINDOW_MS, 10L).build())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.start(f.builder().host("127.0.0.1")
                            .get("/hello", r -> HttpResponse.text(200, "ok"))))
                    .isInstanceOf(io.vela.engine.VelaConfigException.class)
                    .hasMessageContaining("http.min-send-rate = 1")
                    .hasMessageContaining("http.send-rate-window-ms = 10")
                    .hasMessageContaining("at least 100");
        }
        try (Fixture f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(HttpSettings.PORT, 0).set(HttpSettings.MIN_SEND_RATE, 100L)
                .set(HttpSettings.SEND_RATE_WINDOW_MS, 10L).build())) {
            f.start(f.builder().host("127.0.0.1").get("/hello", r -> HttpResponse.text(200, "ok")));
            assertThat(f.server.port()).as("100 B/s over 10 ms windows: one byte a window, valid").isPositive();
        }
    }

    /**
     * A slow reader with a request still running on the ring behind its stuck answer is cut at once (not held open
     * by the request in flight), counted once; the late answer is dropped, the route's in-flight count comes back to
     * 0, and the server goes on serving.
     */
    @org.junit.jupiter.api.Test
    void aSlowReaderWithARequestInFlightOnTheRingIsCutOnceAndTheLateAnswerDropped() throws Exception {
        byte[] large = new byte[8 << 20];
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (Fixture f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(HttpSettings.PORT, 0).set(HttpSettings.MIN_SEND_RATE, 512L * 1024)
                .set(HttpSettings.SEND_RATE_WINDOW_MS, 200L).set(HttpSettings.IDLE_TIMEOUT_MS, 10_000L).build())) {
            f.start(f.builder().host("127.0.0.1")
                    .get("/large", r -> HttpResponse.bytes(200, large, "application/octet-stream"))
                    .get("/held", r -> {
                        release.await(10, TimeUnit.SECONDS);
                        return HttpResponse.text(200, "late");
                    })
                    .get("/hello", r -> HttpResponse.text(200, "ok")));
            try (java.net.Socket s = new java.net.Socket()) {
                s.setReceiveBufferSize(16 * 1024);
                s.connect(new java.net.InetSocketAddress("127.0.0.1", f.server.port()), 5_000);
                s.getOutputStream().write(("GET /large HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /held HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                while (f.server.stats().slowReadersClosed() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10); // reads nothing
                }
                assertThat(f.server.stats().slowReadersClosed()).as("cut with a request in flight").isEqualTo(1);
                release.countDown();
                long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (inFlight(f) > 0 && System.nanoTime() < settle) {
                    Thread.sleep(10);
                }
                assertThat(inFlight(f)).as("requests in flight once the late answer came").isZero();
            }
            assertThat(f.get("/hello").body()).isEqualTo("ok");
            assertThat(f.server.stats().slowReadersClosed()).as("counted once").isEqualTo(1);
        }
    }

    private static long inFlight(Fixture f) {
        return f.server.stats().routes().stream().mapToLong(RouteStats::inFlight).sum();
    }
}
