package io.vela.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.VelaConfigException;
import io.vela.http.client.HttpClientException.Reason;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a raw-Netty server ({@link TestServer}) over loopback. */
@Timeout(20)
class HttpClientTest extends ClientFixture {


    static HttpClientResponse get(CompletableFuture<HttpClientResponse> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    static Reason failure(CompletableFuture<HttpClientResponse> f) throws InterruptedException, TimeoutException {
        try {
            HttpClientResponse r = f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + r);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(HttpClientException.class);
            return ((HttpClientException) e.getCause()).reason();
        }
    }

    @Test
    void getAndPostRoundTrip() throws Exception {
        try (HttpClient c = client().start()) {
            HttpClientResponse hello = get(c.send(HttpClientRequest.get(server.uri("/hello"))));
            assertThat(hello.status()).isEqualTo(200);
            assertThat(hello.bodyText()).isEqualTo("hello");
            assertThat(hello.header("Content-Type")).contains("text/plain; charset=UTF-8");
            HttpClientResponse echo = get(c.send(HttpClientRequest.post(server.uri("/echo"),
                    "ping".getBytes(StandardCharsets.UTF_8), "text/plain").withHeader("X-Id", "7")));
            assertThat(echo.bodyText()).isEqualTo("ping");
            assertThat(echo.header("x-id")).contains("7");
            assertThat(get(c.send(HttpClientRequest.get(server.uri("/nothing")))).status()).isEqualTo(404);
        }
    }

    @Test
    void keepAliveReusesOneConnection() throws Exception {
        try (HttpClient c = client().start()) {
            for (int i = 0; i < 30; i++) {
                assertThat(get(c.send(HttpClientRequest.get(server.uri("/hello")))).status()).isEqualTo(200);
            }
            assertThat(server.accepted.get()).isEqualTo(1);
            assertThat(c.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void connectionCloseResponseIsNotReused() throws Exception {
        try (HttpClient c = client().start()) {
            for (int i = 0; i < 3; i++) {
                assertThat(get(c.send(HttpClientRequest.get(server.uri("/close")))).bodyText()).isEqualTo("bye");
            }
            assertThat(server.accepted.get()).isEqualTo(3);
        }
    }

    @Test
    void idempotentRequestOnAStaleKeptAliveConnectionIsSentAgainOnce() throws Exception {
        try (HttpClient c = client().start()) {
            assertThat(get(c.send(HttpClientRequest.get(server.uri("/hello")))).status()).isEqualTo(200);
            HttpClientResponse again = get(c.send(HttpClientRequest.get(server.uri("/drop-if-reused"))));
            assertThat(again.bodyText()).isEqualTo("GET");
            assertThat(server.accepted.get()).isEqualTo(2);
            // not idempotent: the failure is reported, the POST is not sent twice
            assertThat(failure(c.send(HttpClientRequest.post(server.uri("/drop-if-reused"), new byte[] {1},
                    "application/octet-stream")))).isEqualTo(Reason.CONNECTION_CLOSED);
            assertThat(server.requests.get()).isEqualTo(4);
        }
    }

    @Test
    void poolBoundsConnectionsPerHostAndAnswersEveryRequest() throws Exception {
        try (HttpClient c = client().maxConnectionsPerHost(2).start()) {
            List<CompletableFuture<HttpClientResponse>> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                all.add(c.send(HttpClientRequest.get(server.uri("/delay?ms=5"))));
            }
            for (CompletableFuture<HttpClientResponse> f : all) {
                assertThat(get(f).bodyText()).isEqualTo("late");
            }
            assertThat(server.maxOpen.get()).isEqualTo(2);
            assertThat(server.accepted.get()).isEqualTo(2);
            assertThat(server.requests.get()).isEqualTo(40);
        }
    }

    @Test
    void tooManyWaitingRequestsFailFast() throws Exception {
        try (HttpClient c = client().maxConnectionsPerHost(1).maxPendingPerHost(2).start()) {
            List<CompletableFuture<HttpClientResponse>> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                all.add(c.send(HttpClientRequest.get(server.uri("/delay?ms=200"))));
            }
            int ok = 0;
            int exhausted = 0;
            for (CompletableFuture<HttpClientResponse> f : all) {
                try {
                    get(f);
                    ok++;
                } catch (ExecutionException e) {
                    assertThat(((HttpClientException) e.getCause()).reason()).isEqualTo(Reason.POOL_EXHAUSTED);
                    exhausted++;
                }
            }
            assertThat(ok).isEqualTo(3);
            assertThat(exhausted).isEqualTo(2);
        }
    }

    @Test
    void requestTimeoutFailsAndTheClientStillServes() throws Exception {
        try (HttpClient c = client().requestTimeout(Duration.ofMillis(200)).start()) {
            long t0 = System.nanoTime();
            assertThat(failure(c.send(HttpClientRequest.get(server.uri("/never"))))).isEqualTo(Reason.REQUEST_TIMEOUT);
            assertThat(System.nanoTime() - t0).isBetween(150_000_000L, 5_000_000_000L);
            assertThat(get(c.send(HttpClientRequest.get(server.uri("/hello")))).status()).isEqualTo(200);
            // the abandoned connection is closed, not reused for the next request
            assertThat(server.accepted.get()).isEqualTo(2);
        }
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (HttpClient c = client().start()) {
            assertThat(failure(c.send(HttpClientRequest.get(URI.create("http://127.0.0.1:" + port + "/")))))
                    .isEqualTo(Reason.CONNECT_FAILED);
        }
    }

    @Test
    void connectTimeoutWhenTheBacklogIsFull() throws Exception {
        // a listening socket that never accepts, its backlog filled: the kernel drops further SYNs
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> fill = new ArrayList<>();
            try (HttpClient c = client().connectTimeout(Duration.ofMillis(300)).start()) {
                for (int i = 0; i < 8; i++) {
                    java.net.Socket k = new java.net.Socket();
                    try {
                        k.connect(s.getLocalSocketAddress(), 200);
                        fill.add(k);
                    } catch (java.io.IOException full) {
                        k.close();
                        break;
                    }
                }
                URI u = URI.create("http://127.0.0.1:" + s.getLocalPort() + "/");
                assertThat(failure(c.send(HttpClientRequest.get(u)))).isEqualTo(Reason.CONNECT_TIMEOUT);
            } finally {
                for (java.net.Socket k : fill) {
                    k.close();
                }
            }
        }
    }

    @Test
    void oversizeResponseFailsAndSmallerOnesPass() throws Exception {
        try (HttpClient c = client().maxResponseBytes(1024).start()) {
            assertThat(get(c.send(HttpClientRequest.get(server.uri("/big?n=1024")))).bodyLength()).isEqualTo(1024);
            assertThat(failure(c.send(HttpClientRequest.get(server.uri("/big?n=1025")))))
                    .isEqualTo(Reason.RESPONSE_TOO_LARGE);
            assertThat(get(c.send(HttpClientRequest.get(server.uri("/hello")))).status()).isEqualTo(200);
        }
    }

    @Test
    void serverClosingMidResponse() throws Exception {
        try (HttpClient c = client().start()) {
            assertThat(failure(c.send(HttpClientRequest.get(server.uri("/half")))))
                    .isEqualTo(Reason.CONNECTION_CLOSED);
            assertThat(get(c.send(HttpClientRequest.get(server.uri("/hello")))).status()).isEqualTo(200);
        }
    }

    @Test
    void redirectsAreNotFollowedByDefault() throws Exception {
        try (HttpClient c = client().start()) {
            HttpClientResponse r = get(c.send(HttpClientRequest.get(server.uri("/redirect?to=/hello"))));
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.header("Location")).contains("/hello");
        }
    }

    @Test
    void redirectsFollowedWithAHopLimit() throws Exception {
        try (HttpClient c = client().followRedirects(true).maxRedirects(3).start()) {
            HttpClientResponse r = get(c.send(HttpClientRequest.get(server.uri("/redirect?to=/hello"))));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello");
            assertThat(r.uri().getPath()).isEqualTo("/hello");
            HttpClientResponse seeOther = get(c.send(HttpClientRequest.post(server.uri("/redirect?to=/method&status=303"),
                    "x".getBytes(StandardCharsets.UTF_8), "text/plain")));
            assertThat(seeOther.bodyText()).isEqualTo("GET ");
            HttpClientResponse temporary = get(c.send(HttpClientRequest.post(
                    server.uri("/redirect?to=/method&status=307"), "x".getBytes(StandardCharsets.UTF_8),
                    "text/plain")));
            assertThat(temporary.bodyText()).isEqualTo("POST x");
            assertThat(failure(c.send(HttpClientRequest.get(server.uri("/loop")))))
                    .isEqualTo(Reason.TOO_MANY_REDIRECTS);
            assertThat(server.requests.get()).isEqualTo(2 + 2 + 2 + 4);
        }
    }

    @Test
    void completesOnARingWorkerByDefault() throws Exception {
        String worker = runtime.executor().submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
        try (HttpClient c = client().start()) {
            assertThat(completionThread(c)).isEqualTo(worker);
        }
    }

    @Test
    void completesOnTheGivenExecutor() throws Exception {
        ExecutorService mine = Executors.newSingleThreadExecutor(r -> new Thread(r, "mine"));
        try (HttpClient c = client().completeOn(mine).start()) {
            assertThat(completionThread(c)).isEqualTo("mine");
        } finally {
            mine.shutdownNow();
        }
    }

    /** @return the thread a stage chained before the response arrives runs on */
    private String completionThread(HttpClient c) throws Exception {
        return c.send(HttpClientRequest.get(server.uri("/delay?ms=50")))
                .thenApply(r -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void closeWithRequestsInFlightCompletesEveryFuture() throws Exception {
        HttpClient c = client().maxConnectionsPerHost(4).start();
        List<CompletableFuture<HttpClientResponse>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(c.send(HttpClientRequest.get(server.uri("/never"))));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.requests.get() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(5); // until four went out on the four connections; the rest wait for one
        }
        assertThat(server.requests.get()).isEqualTo(4);
        c.close();
        for (CompletableFuture<HttpClientResponse> f : all) {
            assertThat(failure(f)).isEqualTo(Reason.CLIENT_CLOSED);
        }
        assertThat(failure(c.send(HttpClientRequest.get(server.uri("/hello"))))).isEqualTo(Reason.CLIENT_CLOSED);
        assertThat(c.openConnections()).isZero();
    }

    /** Closed while its connections are still connecting: every future fails, no socket stays open. */
    @RepeatedTest(20)
    void closeWhileConnectingLeavesNoConnectionOpen() throws Exception {
        HttpClient c = client().maxConnectionsPerHost(4).start();
        List<CompletableFuture<HttpClientResponse>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(c.send(HttpClientRequest.get(server.uri("/hello"))));
        }
        c.close();
        assertThat(c.openConnections()).isZero();
        for (CompletableFuture<HttpClientResponse> f : all) {
            try {
                assertThat(get(f).status()).isEqualTo(200); // answered before the close reached it
            } catch (ExecutionException e) {
                assertThat(((HttpClientException) e.getCause()).reason()).isEqualTo(Reason.CLIENT_CLOSED);
            }
        }
    }

    @Test
    void closeFromACallbackOnTheIoThreadDoesNotWaitForItself() throws Exception {
        HttpClient c = client().completeOn(Runnable::run).start();
        CompletableFuture<Integer> closedInCallback = c.send(HttpClientRequest.get(server.uri("/hello")))
                .thenApply(r -> {
                    c.close();
                    return r.status();
                });
        assertThat(closedInCallback.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(failure(c.send(HttpClientRequest.get(server.uri("/hello"))))).isEqualTo(Reason.CLIENT_CLOSED);
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        try (HttpClient c = client().idleTimeout(Duration.ofMillis(150)).start()) {
            assertThat(get(c.send(HttpClientRequest.get(server.uri("/hello")))).status()).isEqualTo(200);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.open.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.open.get()).isZero();
            assertThat(get(c.send(HttpClientRequest.get(server.uri("/hello")))).status()).isEqualTo(200);
            assertThat(server.accepted.get()).isEqualTo(2);
        }
    }

    @Test
    void badSettingsNameTheKeyTheValueAndTheRange() {
        assertThatThrownBy(() -> client().maxConnectionsPerHost(0).requestTimeout(Duration.ofMillis(-5)).start())
                .isInstanceOf(VelaConfigException.class)
                .hasMessageContaining("maxConnectionsPerHost = 0")
                .hasMessageContaining("valid values: 1 to 10000")
                .hasMessageContaining("requestTimeout = PT-0.005S");
        assertThatThrownBy(() -> HttpClientRequest.get(URI.create("ftp://x/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("valid schemes: http");
    }
}
