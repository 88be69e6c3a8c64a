package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DispatchTest {

    @Test
    void handlersRunOnRingWorkersAndNonBlockingOnesOnTheEventLoop() throws Exception {
        try (Fixture f = new Fixture()) {
            f.start(f.builder()
                    .get("/worker", r -> HttpResponse.text(200, Thread.currentThread().getName()))
                    .route("GET", "/loop", (HttpHandler) r -> HttpResponse.text(200, Thread.currentThread().getName()),
                            RouteOptions.defaults().nonBlocking())
                    .routeAsync("GET", "/async", r -> CompletableFuture.supplyAsync(
                            () -> HttpResponse.text(200, "later"), f.runtime.blockingExecutor()),
                            RouteOptions.defaults()));
            assertThat(f.get("/worker").body()).startsWith("vela-executor-");
            assertThat(f.get("/loop").body()).startsWith("vela-http-");
            assertThat(f.get("/async").body()).isEqualTo("later");
        }
    }

    @Test
    void keyedRoutesRunOneKeysRequestsInArrivalOrder() throws Exception {
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        try (Fixture f = new Fixture()) {
            f.start(f.builder().route("POST", "/acct/{id}", (HttpHandler) r -> {
                seen.computeIfAbsent(r.pathParam("id"), k -> new CopyOnWriteArrayList<>())
                        .add(Integer.parseInt(r.bodyText()));
                return HttpResponse.of(204);
            }, RouteOptions.defaults().keyedByPathParam("id"))
                    .route("POST", "/by-header", (HttpHandler) r -> {
                        seen.computeIfAbsent("h-" + r.header("x-account").orElseThrow(),
                                k -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(r.bodyText()));
                        return HttpResponse.of(204);
                    }, RouteOptions.defaults().keyedByHeader("x-account")));
            // one pipelined connection per key: arrival order is the order written
            List<RawConnection> conns = new ArrayList<>();
            int perKey = 50;
            for (String key : List.of("a", "b", "c", "h-d", "h-e")) {
                RawConnection c = new RawConnection(f.server.port());
                conns.add(c);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < perKey; i++) {
                    String body = Integer.toString(i);
                    String target = key.startsWith("h-") ? "/by-header HTTP/1.1\r\nX-Account: " + key.substring(2)
                            : "/acct/" + key + " HTTP/1.1";
                    sb.append("POST ").append(target).append("\r\nHost: x\r\nContent-Length: ")
                            .append(body.length()).append("\r\n\r\n").append(body);
                }
                c.send(sb.toString());
            }
            for (RawConnection c : conns) {
                for (int i = 0; i < perKey; i++) {
                    assertThat(c.read().status()).isEqualTo(204);
                }
                c.close();
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perKey; i++) {
                expected.add(i);
            }
            assertThat(seen).containsOnlyKeys("a", "b", "c", "h-d", "h-e");
            seen.values().forEach(v -> assertThat(v).containsExactlyElementsOf(expected));
        }
    }

    @Test
    void aFullRingIsAnswered503WithRetryAfterAndTheServerRecovers() throws Exception {
        VelaConfig config = VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 2).set(HttpSettings.PORT, 0).build();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        try (Fixture f = new Fixture(config)) {
            f.start(f.builder().get("/block", r -> {
                entered.countDown();
                release.await(20, TimeUnit.SECONDS);
                return HttpResponse.text(200, "done");
            }).get("/fast", r -> HttpResponse.text(200, "fast")));
            List<CompletableFuture<java.net.http.HttpResponse<String>>> calls = new ArrayList<>();
            calls.add(f.client.sendAsync(java.net.http.HttpRequest.newBuilder(f.uri("/block")).build(),
                    BodyHandlers.ofString()));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            int refused = 0;
            for (int i = 0; i < 6 && refused == 0; i++) { // the ring's two slots fill, then 503
                var r = f.client.sendAsync(java.net.http.HttpRequest.newBuilder(f.uri("/fast"))
                        .timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
                calls.add(r);
                // give the request time to reach the ring (or be refused)
                try {
                    var done = r.get(300, TimeUnit.MILLISECONDS);
                    if (done.statusCode() == 503) {
                        refused++;
                        assertThat(done.headers().firstValue("retry-after")).hasValue("1");
                    }
                } catch (java.util.concurrent.TimeoutException stillQueued) {
                    // accepted into the ring behind the blocked task
                }
            }
            assertThat(refused).isEqualTo(1);
            assertThat(f.server.stats().rejected()).isEqualTo(1);
            release.countDown();
            for (var c : calls) {
                assertThat(c.get(20, TimeUnit.SECONDS).statusCode()).isIn(200, 503);
            }
            assertThat(f.get("/fast").body()).isEqualTo("fast");
        }
    }
}
