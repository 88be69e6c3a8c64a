package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ring hop batched per event loop (ADR 0014, decision 6): requests of many connections read in one pass of the
 * loop go to the ring together, and answers of many connections come back through one drain. Every answer must reach
 * its own connection once and in request order, unkeyed (batched) and keyed (offered at once) requests mixed; a ring
 * that fills while a batch is offered must refuse what it cannot take with 503, in order, and the server must
 * recover.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopBatchTest {
    private static final int CONNECTIONS = 16;
    private static final int REQUESTS = 240;
    private static final int BURST = 6;

    @Test
    void manyConnectionsOnOneLoopGetTheirOwnAnswersOnceAndInOrder() throws Exception {
        VelaConfig config = VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2).set(HttpSettings.PORT, 0).build();
        try (Fixture f = new Fixture(config)) {
            HttpHandler echo = r -> {
                if (ThreadLocalRandom.current().nextInt(8) == 0) {
                    LockSupport.parkNanos(100_000L); // uneven handler times: completions out of order
                }
                return HttpResponse.text(200, r.pathParam("i"));
            };
            f.start(f.builder().eventLoops(1).get("/n/{i}", echo)
                    .route("GET", "/k/{i}", echo, RouteOptions.defaults().keyedByHeader("x-key")));
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int conn = c;
                clients.add(CompletableFuture.runAsync(() -> pipeline(f.server.port(), conn)));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(25, TimeUnit.SECONDS);
            long total = 0;
            for (RouteStats route : f.server.stats().routes()) {
                assertThat(route.inFlight()).isZero();
                assertThat(route.responses(2)).isEqualTo(route.requests());
                total += route.requests();
            }
            assertThat(total).isEqualTo((long) CONNECTIONS * REQUESTS);
        }
    }

    /** Bursts of pipelined requests, every third keyed (on one of two keys), each answer checked in order. */
    private static void pipeline(int port, int conn) {
        BatchedAnswerStressTest.pipeline(port, conn, REQUESTS, BURST, n -> n % 3 == 0
                ? "GET /k/" + n + " HTTP/1.1\r\nHost: x\r\nx-key: " + (n % 2) + "\r\n\r\n"
                : "GET /n/" + n + " HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    @Test
    void aRingThatFillsDuringABatchRefusesWhatItCannotTakeWith503InOrder() throws Exception {
        int sent = 12; // more than the ring's free slots while its one worker is held
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Fixture f = new Fixture(VelaConfig.builder().set(HttpSettings.PORT, 0).set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 4).build())) {
            f.start(f.builder().eventLoops(1).get("/block", r -> {
                entered.countDown();
                release.await(20, TimeUnit.SECONDS);
                return HttpResponse.text(200, "done");
            }).get("/fast/{i}", r -> HttpResponse.text(200, r.pathParam("i"))));
            try (RawConnection blocker = new RawConnection(f.server.port());
                 RawConnection c = new RawConnection(f.server.port())) {
                blocker.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
                StringBuilder burst = new StringBuilder();
                for (int i = 0; i < sent; i++) {
                    burst.append("GET /fast/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
                }
                c.send(burst.toString()); // one read, one batch: more than the ring's free slots
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (f.server.stats().rejected() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                release.countDown();
                assertThat(blocker.read().body()).isEqualTo("done");
                int ok = 0;
                for (int i = 0; i < sent; i++) {
                    RawConnection.Response r = c.read();
                    if (r.status() == 200) { // its own answer, in its place among the 503s
                        assertThat(r.body()).isEqualTo(Integer.toString(i));
                        ok++;
                    } else {
                        assertThat(r.status()).isEqualTo(503);
                        assertThat(r.header("retry-after")).isEqualTo("1");
                    }
                }
                assertThat(ok).as("the ring's free slots took the first requests").isGreaterThan(0);
                assertThat(sent - ok).as("refused while the worker was held").isGreaterThan(0)
                        .isEqualTo(f.server.stats().rejected());
                c.send("GET /fast/99 HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("99");
            }
        }
    }
    @Test
    void anAnswerReachingAStoppedEventLoopIsCountedAsFinished() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        try (Fixture f = new Fixture(VelaConfig.builder().set(HttpSettings.PORT, 0).set(Settings.EXECUTOR_WORKERS, 1)
                .build())) {
            f.start(f.builder().eventLoops(1).get("/late", r -> {
                entered.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                    return HttpResponse.text(200, "late");
                } finally {
                    answered.countDown();
                }
            }));
            try (RawConnection c = new RawConnection(f.server.port())) {
                c.send("GET /late HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
                // cut it: the server stops its event loops with the handler still running
                var report = ((io.vela.engine.ShutdownParticipant) f.server).shutdown(java.time.Duration.ofMillis(200));
                assertThat(report.notRun()).isEqualTo(1);
                assertThat(c.closedByServer()).isTrue();
            }
            RouteStats route = f.server.stats().routes().get(0);
            assertThat(route.inFlight()).isEqualTo(1);
            release.countDown(); // the worker now answers into a stopped loop: nothing written, but counted
            assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (route.inFlight() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(route.inFlight()).isZero();
            assertThat(route.responses(2)).isEqualTo(1);
        }
    }
}
