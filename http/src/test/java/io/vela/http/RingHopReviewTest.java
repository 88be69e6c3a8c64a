package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review of the ring hop batched per event loop (ADR 0014, decision 6): each test reproduces one finding of the
 * review against the server as users run it (loopback, raw connections).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RingHopReviewTest {

    /**
     * ADR 0009, decision 2: a ring that refuses with {@code CLOSED} is answered 503 <em>and a close</em>; a
     * keep-alive connection must not stay open to a server whose executor no longer runs anything (its client
     * would send every retry down the same dead connection). Unkeyed (batched) and keyed (offered at once) alike.
     */
    @Test
    void aClosedRingIsAnswered503AndTheConnectionClosesAfterIt() throws Exception {
        try (Fixture f = new Fixture(VelaConfig.builder().set(HttpSettings.PORT, 0).set(Settings.EXECUTOR_WORKERS, 1)
                .build())) {
            HttpHandler ran = r -> HttpResponse.text(200, "ran");
            f.start(f.builder().eventLoops(1).get("/n", ran).route("GET", "/k", ran,
                            RouteOptions.defaults().keyedByHeader("x-key")));
            f.runtime.executor().shutdown(); // the ring refuses everything from now on: CLOSED
            for (String request : new String[] {"GET /n HTTP/1.1\r\nHost: x\r\n\r\n",
                    "GET /k HTTP/1.1\r\nHost: x\r\nx-key: a\r\n\r\n"}) {
                try (RawConnection c = new RawConnection(f.server.port())) {
                    c.send(request);
                    RawConnection.Response r = c.read();
                    assertThat(r.status()).isEqualTo(503);
                    assertThat(r.body()).isEqualTo("shutting down\n");
                    assertThat(r.header("connection")).as(request).isEqualToIgnoringCase("close");
                    assertThat(c.closedByServer()).isTrue();
                }
            }
            assertThat(f.server.stats().rejected()).isEqualTo(2);
        }
    }

    /**
     * A handler's answer that Netty refuses to encode (a header value with CR/LF: response splitting) must not cost
     * the connection the answers around it: it is answered 500 in its place, like a handler that throws, and the
     * answers before and after it are written. Before the fix the ring hop's drain closed the connection on the
     * encoder's exception, discarding the earlier answer (written, not flushed) and every later one, and logged the
     * wrong request; on the event-loop path the exception closed the connection the same way.
     */
    @Test
    void anAnswerThatCannotBeEncodedIsA500InItsPlaceAndTheConnectionGoesOn() throws Exception {
        try (Fixture f = new Fixture(VelaConfig.builder().set(HttpSettings.PORT, 0).set(Settings.EXECUTOR_WORKERS, 1)
                .build())) {
            HttpHandler split = r -> HttpResponse.text(200, "split").withHeader("x-split", "a\r\nInjected: yes");
            f.start(f.builder().eventLoops(1).get("/ok/{i}", r -> HttpResponse.text(200, r.pathParam("i")))
                    .get("/bad", split).route("GET", "/bad-loop", split, RouteOptions.defaults().nonBlocking()));
            try (RawConnection c = new RawConnection(f.server.port())) {
                c.send("GET /ok/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /bad HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /ok/3 HTTP/1.1\r\nHost: x\r\n\r\nGET /bad-loop HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /ok/5 HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("1");
                RawConnection.Response bad = c.read();
                assertThat(bad.status()).isEqualTo(500);
                assertThat(bad.header("injected")).isNull();
                assertThat(c.read().body()).isEqualTo("3");
                assertThat(c.read().status()).isEqualTo(500);
                assertThat(c.read().body()).isEqualTo("5");
                c.send("GET /ok/6 HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("6");
            }
            for (RouteStats route : f.server.stats().routes()) {
                assertThat(route.inFlight()).isZero();
                if (route.route().contains("bad")) {
                    assertThat(route.responses(5)).as(route.route()).isEqualTo(1);
                    assertThat(route.responses(2)).as(route.route()).isZero();
                }
            }
        }
    }

    /**
     * Handlers that misbehave, pipelined on one connection through the batched ring hop: a null answer, a null
     * future, a throw, a future answered late from another thread, one never answered (cut by the timeout
     * middleware, whose answer comes from the scheduler's thread). Each is answered once, in its place, and every
     * counter balances.
     */
    @Test
    void misbehavingHandlersAreEachAnsweredOnceInTheirPlace() throws Exception {
        try (Fixture f = new Fixture(VelaConfig.builder().set(HttpSettings.PORT, 0).set(Settings.EXECUTOR_WORKERS, 1)
                .build())) {
            RouteOptions d = RouteOptions.defaults();
            f.start(f.builder().eventLoops(1).use(Middlewares.timeout(java.time.Duration.ofMillis(200),
                            f.runtime.scheduler()))
                    .get("/null", r -> null)
                    .routeAsync("GET", "/null-future", r -> null, d)
                    .get("/throw", r -> {
                        throw new IllegalStateException("handler failed (expected by the test)");
                    })
                    .routeAsync("GET", "/late", r -> CompletableFuture.supplyAsync(() -> HttpResponse.text(200, "late"),
                            CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)), d)
                    .routeAsync("GET", "/never", r -> new CompletableFuture<>(), d)
                    .get("/ok", r -> HttpResponse.text(200, "ok")));
            try (RawConnection c = new RawConnection(f.server.port())) {
                StringBuilder burst = new StringBuilder();
                for (String path : new String[] {"/null", "/null-future", "/throw", "/late", "/never", "/ok"}) {
                    burst.append("GET ").append(path).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
                }
                c.send(burst.toString());
                assertThat(c.read().status()).isEqualTo(500);
                assertThat(c.read().status()).isEqualTo(500);
                assertThat(c.read().status()).isEqualTo(500);
                assertThat(c.read().body()).isEqualTo("late");
                RawConnection.Response timedOut = c.read();
                assertThat(timedOut.status()).isEqualTo(503);
                assertThat(timedOut.body()).isEqualTo("timed out\n");
                assertThat(c.read().body()).isEqualTo("ok");
                c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("ok");
            }
            long answered = 0;
            for (RouteStats route : f.server.stats().routes()) {
                assertThat(route.inFlight()).as(route.route()).isZero();
                for (int k = 1; k <= 5; k++) {
                    answered += route.responses(k);
                }
            }
            assertThat(answered).isEqualTo(7);
        }
    }

    /**
     * Two event loops (two batches) sharing one ring worker, or two: connections on both loops pipeline unkeyed
     * (batched) and keyed (offered at once) requests; each answer reaches its own connection once and in order,
     * and every counter is balanced.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void twoEventLoopsShareTheRingWithEveryAnswerOnceAndInOrder(int workers) throws Exception {
        try (Fixture f = new Fixture(VelaConfig.builder().set(HttpSettings.PORT, 0)
                .set(Settings.EXECUTOR_WORKERS, workers).build())) {
            f.start(routes(f.builder().eventLoops(2)));
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int c = 0; c < 8; c++) {
                    int conn = c;
                    clients.add(CompletableFuture.runAsync(() -> BatchedAnswerStressTest.pipeline(f.server.port(),
                            conn, 120, 6, RingHopReviewTest::mixed), pool));
                }
                CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
            } finally {
                pool.shutdown();
            }
            long total = 0;
            for (RouteStats route : f.server.stats().routes()) {
                assertThat(route.inFlight()).isZero();
                assertThat(route.responses(2)).isEqualTo(route.requests());
                total += route.requests();
            }
            assertThat(total).isEqualTo(8L * 120);
        }
    }

    /**
     * runtime.close() racing pipelined bursts on two event loops: every request sent is answered (its own answer,
     * in order), refused 503, or its connection closes; no client waits forever, the shutdown completes, and each
     * route's counters balance (nothing left in flight, every request counted with one answer). Each client makes
     * one more attempt after the close has completed, so each sees how the close ended its connection.
     */
    @Test
    void closeRacingPipelinedBatchesAccountsEveryRequest() throws Exception {
        Fixture f = new Fixture(VelaConfig.builder().set(HttpSettings.PORT, 0).set(Settings.EXECUTOR_WORKERS, 2)
                .set(Settings.SHUTDOWN_DEADLINE_MS, 3_000L).build());
        f.start(routes(f.builder().eventLoops(2)));
        int port = f.server.port();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(7);
        for (int c = 0; c < 6; c++) {
            int conn = c;
            clients.add(CompletableFuture.runAsync(() -> bursts(port, conn, stop, sent, ok, refused, closed, ended), pool));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ok.get() < 300 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        try {
            CompletableFuture.runAsync(f.runtime::close, pool).get(10, TimeUnit.SECONDS); // its 7th thread
            stop.set(true);
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            pool.shutdown();
        }
        assertThat(ok.get() + refused.get() + closed.get()).isEqualTo(sent.get());
        assertThat(ok.get()).isPositive();
        // the close raced the traffic: connections open when it came were ended by the server (a last answer with
        // "Connection: close", or the stream closed); how many requests it cut depends on where each burst was —
        // none when every burst had been read whole, which a graceful close then answers
        assertThat(ended.get()).as("connections the close ended").isPositive();
        assertThat(f.runtime.shutdownReports().get(0).completed()).isTrue();
        for (RouteStats route : f.server.stats().routes()) {
            assertThat(route.inFlight()).as(route.route()).isZero();
            long answered = 0;
            for (int k = 1; k <= 5; k++) {
                answered += route.responses(k);
            }
            assertThat(answered).as(route.route()).isEqualTo(route.requests());
        }
    }

    private static void bursts(int port, int conn, AtomicBoolean stop, AtomicInteger sent, AtomicInteger ok,
                               AtomicInteger refused, AtomicInteger closed, AtomicInteger ended) {
        int n = 0;
        boolean last = false; // an attempt begun after the close completed is the client's last one
        while (!last) {
            last = stop.get();
            try (RawConnection c = new RawConnection(port)) {
                while (true) {
                    StringBuilder burst = new StringBuilder();
                    int first = n;
                    for (int j = 0; j < 6; j++) {
                        burst.append(mixed(conn * 100_000 + n++));
                    }
                    sent.addAndGet(6);
                    int answered = 0;
                    boolean close = false;
                    try {
                        c.send(burst.toString());
                        for (; answered < 6 && !close; answered++) {
                            RawConnection.Response r = c.read();
                            if (r.status() == 200) {
                                assertThat(r.body()).isEqualTo(Integer.toString(conn * 100_000 + first + answered));
                                ok.incrementAndGet();
                            } else {
                                assertThat(r.status()).isEqualTo(503);
                                refused.incrementAndGet();
                            }
                            close = "close".equalsIgnoreCase(r.header("connection"));
                        }
                    } catch (SocketTimeoutException hang) {
                        throw new AssertionError("a pipelined request hung", hang);
                    } catch (IOException closedByServer) {
                        close = true;
                    }
                    closed.addAndGet(6 - answered);
                    if (close) {
                        ended.incrementAndGet();
                    }
                    if (close || last) {
                        break;
                    }
                    last = stop.get();
                }
            } catch (IOException refusedConnect) {
                if (!last) {
                    LockSupport.parkNanos(1_000_000L); // the server stopped accepting: wait for the stop
                }
            }
        }
    }

    private static HttpServer.Builder routes(HttpServer.Builder b) {
        HttpHandler echo = r -> {
            if (ThreadLocalRandom.current().nextInt(8) == 0) {
                LockSupport.parkNanos(100_000L); // uneven handler times: completions out of order
            }
            return HttpResponse.text(200, r.pathParam("i"));
        };
        return b.get("/n/{i}", echo).route("GET", "/k/{i}", echo, RouteOptions.defaults().keyedByHeader("x-key"));
    }

    /** Request {@code n}: every third keyed (on one of two keys), the others unkeyed. */
    private static String mixed(int n) {
        return n % 3 == 0 ? "GET /k/" + n + " HTTP/1.1\r\nHost: x\r\nx-key: " + (n % 2) + "\r\n\r\n"
                : "GET /n/" + n + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }
}
