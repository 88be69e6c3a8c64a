package io.vela.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.http.AsyncHttpHandler;
import io.vela.http.HttpResponse;
import io.vela.http.HttpServer;
import io.vela.http.HttpTransport;
import io.vela.http.RouteOptions;
import io.vela.http.VelaHttp;
import io.vela.http.client.HttpClientException.Reason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against Vela's own server, each on a runtime of its own. */
@Timeout(30)
class VelaServerClientTest {
    private VelaRuntime clientRuntime;
    private VelaRuntime serverRuntime;
    private HttpServer server;

    @BeforeEach
    void start() {
        clientRuntime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).build());
        serverRuntime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).build());
        AsyncHttpHandler never = req -> new CompletableFuture<>();
        AsyncHttpHandler later = req -> {
            CompletableFuture<HttpResponse> f = new CompletableFuture<>();
            serverRuntime.scheduler().schedule(() -> f.complete(HttpResponse.text(200, "late")), 20,
                    TimeUnit.MILLISECONDS);
            return f;
        };
        server = VelaHttp.server(serverRuntime).port(0).transport(HttpTransport.NIO).eventLoops(1)
                .get("/orders/{id}", req -> HttpResponse.text(200, "order " + req.pathParam("id")))
                .post("/echo", req -> HttpResponse.bytes(200, req.body(), "application/octet-stream"))
                .get("/big", req -> HttpResponse.bytes(200, new byte[4096], "application/octet-stream"))
                .route("GET", "/never", never, RouteOptions.defaults())
                .route("GET", "/later", later, RouteOptions.defaults())
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
        serverRuntime.close();
        clientRuntime.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void roundTripsOnOneKeptAliveConnection() throws Exception {
        try (HttpClient c = VelaHttp.client(clientRuntime).start()) {
            for (int i = 0; i < 20; i++) {
                HttpClientResponse r = c.send(HttpClientRequest.get(uri("/orders/" + i))).get(10, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("order " + i);
            }
            byte[] body = "payload".getBytes(StandardCharsets.UTF_8);
            assertThat(c.send(HttpClientRequest.post(uri("/echo"), body, "application/octet-stream"))
                    .get(10, TimeUnit.SECONDS).body()).isEqualTo(body);
            assertThat(c.send(HttpClientRequest.get(uri("/missing"))).get(10, TimeUnit.SECONDS).status())
                    .isEqualTo(404);
            assertThat(server.stats().acceptedConnections()).isEqualTo(1);
        }
    }

    @Test
    void timeoutAndSizeLimitAgainstTheRealServer() throws Exception {
        try (HttpClient c = VelaHttp.client(clientRuntime).requestTimeout(Duration.ofMillis(300))
                .maxResponseBytes(1024).start()) {
            assertThat(HttpClientTest.failure(c.send(HttpClientRequest.get(uri("/never")))))
                    .isEqualTo(Reason.REQUEST_TIMEOUT);
            assertThat(HttpClientTest.failure(c.send(HttpClientRequest.get(uri("/big")))))
                    .isEqualTo(Reason.RESPONSE_TOO_LARGE);
            assertThat(c.send(HttpClientRequest.get(uri("/orders/1"))).get(10, TimeUnit.SECONDS).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void poolOfFourCarriesManyConcurrentRequests() throws Exception {
        try (HttpClient c = VelaHttp.client(clientRuntime).maxConnectionsPerHost(4).start()) {
            List<CompletableFuture<HttpClientResponse>> all = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                all.add(c.send(HttpClientRequest.post(uri("/echo"), Integer.toString(i).getBytes(
                        StandardCharsets.UTF_8), "text/plain")));
            }
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).get(10, TimeUnit.SECONDS).bodyText()).isEqualTo(Integer.toString(i));
            }
            assertThat(server.stats().acceptedConnections()).isBetween(1L, 4L);
        }
    }

    /** The server's runtime closes while requests are in flight: each one is answered, refused or cut, none hangs. */
    @Test
    void serverRuntimeClosingUnderLoadLeavesNoFutureHanging() throws Exception {
        Map<Reason, Integer> failures = new EnumMap<>(Reason.class);
        int answered = 0;
        int refused = 0;
        try (HttpClient c = VelaHttp.client(clientRuntime).maxConnectionsPerHost(4)
                .requestTimeout(Duration.ofSeconds(15)).start()) {
            List<CompletableFuture<HttpClientResponse>> all = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                all.add(c.send(HttpClientRequest.get(uri("/later"))));
                if (i == 100) {
                    all.get(0).get(10, TimeUnit.SECONDS); // some are answered; then close under the rest
                    CompletableFuture.runAsync(serverRuntime::close);
                }
            }
            for (CompletableFuture<HttpClientResponse> f : all) {
                try {
                    int status = f.get(20, TimeUnit.SECONDS).status();
                    if (status == 200) {
                        answered++;
                    } else {
                        assertThat(status).isEqualTo(503);
                        refused++;
                    }
                } catch (ExecutionException e) {
                    failures.merge(((HttpClientException) e.getCause()).reason(), 1, Integer::sum);
                }
            }
        }
        int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(answered + refused + failed).as("answered %d, 503 %d, failed %s", answered, refused, failures)
                .isEqualTo(300);
        assertThat(failures.keySet()).isSubsetOf(Reason.CONNECTION_CLOSED, Reason.CONNECT_FAILED);
        assertThat(answered).isPositive();
    }
}
