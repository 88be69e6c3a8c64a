package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Asynchronous handlers on the event loop (non-blocking routes) and on ring workers whose futures complete on
 * foreign threads, at once, late, exceptionally, with a null or with an interim status, all pipelined on connections
 * that half-close after their last request: every request answered once, in order, with the status its outcome
 * calls for, and the counters account for each one (requests, status classes, nothing left in flight).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncAnswerStressTest {
    private static final int CONNECTIONS = 4;
    private static final int REQUESTS = 240;

    /** The outcome request {@code i} asks for: its status as the client must see it. */
    private static int expectedStatus(int i) {
        return switch (i % 6) {
            case 3, 4, 5 -> 500; // failed future, null value, interim (1xx) status
            default -> 200;
        };
    }

    @Test
    void everyAsyncAnswerArrivesOnceInOrderAndIsCountedOnce() throws Exception {
        ScheduledExecutorService foreign = Executors.newScheduledThreadPool(3);
        try (Fixture f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2)
                .set(HttpSettings.PORT, 0).set(HttpSettings.MAX_PIPELINED, 8).build())) {
            AsyncHttpHandler handler = r -> {
                int i = Integer.parseInt(r.pathParam("i"));
                CompletableFuture<HttpResponse> out = new CompletableFuture<>();
                Runnable complete = () -> {
                    switch (i % 6) {
                        case 3 -> out.completeExceptionally(new IllegalStateException("failed " + i));
                        case 4 -> out.complete(null);
                        case 5 -> out.complete(HttpResponse.of(102));
                        default -> out.complete(HttpResponse.text(200, Integer.toString(i)));
                    }
                };
                if (i % 6 == 0) {
                    complete.run(); // already complete when returned
                } else {
                    foreign.schedule(complete, (i * 37L) % 400, TimeUnit.MICROSECONDS);
                }
                return out;
            };
            f.start(f.builder().routeAsync("GET", "/loop/{i}", handler, RouteOptions.defaults().nonBlocking())
                    .routeAsync("GET", "/ring/{i}", handler, RouteOptions.defaults()));
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                String path = c % 2 == 0 ? "/loop/" : "/ring/";
                clients.add(CompletableFuture.runAsync(() -> pipelineThenHalfClose(f.server.port(), path)));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(25, TimeUnit.SECONDS);
            long total = (long) CONNECTIONS * REQUESTS;
            long requests = 0;
            long ok = 0;
            long failed = 0;
            long inFlight = 0;
            for (RouteStats route : f.server.stats().routes()) {
                requests += route.requests();
                ok += route.responses(2);
                failed += route.responses(5);
                inFlight += route.inFlight();
            }
            assertThat(requests).as("requests counted").isEqualTo(total);
            assertThat(ok + failed).as("answers counted").isEqualTo(total);
            assertThat(failed).isEqualTo(total / 2);
            assertThat(inFlight).as("left in flight").isZero();
        } finally {
            foreign.shutdownNow();
        }
    }

    private static void pipelineThenHalfClose(int port, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < REQUESTS; i++) {
                all.append("GET ").append(path).append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            s.getOutputStream().write(all.toString().getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput(); // the server answers everything read, then closes
            InputStream in = s.getInputStream();
            String got = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            String[] answers = got.split("(?=HTTP/1\\.1 )");
            assertThat(answers).as("answers on %s", path).hasSize(REQUESTS);
            for (int i = 0; i < REQUESTS; i++) {
                int status = Integer.parseInt(answers[i].substring(9, 12));
                assertThat(status).as("answer %d on %s", i, path).isEqualTo(expectedStatus(i));
                if (status == 200) {
                    assertThat(answers[i]).as("answer %d on %s", i, path).endsWith("\r\n\r\n" + i);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
