package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ring workers answer a connection's pipelined requests out of order and in bursts; the event loop takes them in
 * batches (one task per batch). Every answer must arrive once, in request order; clients that close with answers
 * still in flight must leave nothing counted in flight, and the server must go on serving.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchedAnswerStressTest {
    private static final int CONNECTIONS = 4;
    private static final int REQUESTS = 400;
    private static final int BURST = 8;

    private static Fixture fixture() {
        return new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2).set(HttpSettings.PORT, 0).build());
    }

    private static HttpServer.Builder routes(Fixture f) {
        return f.builder().get("/n/{i}", r -> {
            int pause = ThreadLocalRandom.current().nextInt(4);
            if (pause > 0) {
                LockSupport.parkNanos(pause * 200_000L); // uneven handler times: completions out of order
            }
            return HttpResponse.text(200, r.pathParam("i"));
        });
    }

    @Test
    void everyPipelinedAnswerArrivesOnceAndInOrder() throws Exception {
        try (Fixture f = fixture()) {
            f.start(routes(f));
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int conn = c;
                clients.add(CompletableFuture.runAsync(() -> pipeline(f.server.port(), conn)));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(25, TimeUnit.SECONDS);
            RouteStats route = f.server.stats().routes().get(0);
            assertThat(route.requests()).isEqualTo((long) CONNECTIONS * REQUESTS);
            assertThat(route.responses(2)).isEqualTo((long) CONNECTIONS * REQUESTS);
            assertThat(route.inFlight()).isZero();
        }
    }

    private static void pipeline(int port, int conn) {
        pipeline(port, conn, REQUESTS, BURST, j -> "GET /n/" + j + " HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    /**
     * Sends {@code requests} requests in pipelined bursts of {@code burst} on one connection; request {@code j}
     * ({@code request.apply(conn * 100_000 + j)}) must be answered 200 with {@code conn * 100_000 + j} as body, in
     * order.
     */
    static void pipeline(int port, int conn, int requests, int burst, IntFunction<String> request) {
        try (RawConnection c = new RawConnection(port)) {
            for (int i = 0; i < requests; i += burst) {
                StringBuilder sent = new StringBuilder();
                for (int j = i; j < i + burst; j++) {
                    sent.append(request.apply(conn * 100_000 + j));
                }
                c.send(sent.toString());
                for (int j = i; j < i + burst; j++) {
                    RawConnection.Response r = c.read();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.body()).as("answer %d on connection %d", j, conn)
                            .isEqualTo(Integer.toString(conn * 100_000 + j));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void clientsClosingWithAnswersInFlightLeaveNothingInFlight() throws Exception {
        try (Fixture f = fixture()) {
            f.start(routes(f));
            byte[] burst = "GET /n/1 HTTP/1.1\r\nHost: x\r\n\r\n".repeat(12).getBytes(StandardCharsets.US_ASCII);
            for (int round = 0; round < 40; round++) {
                try (Socket s = new Socket("127.0.0.1", f.server.port())) {
                    s.getOutputStream().write(burst);
                    s.getOutputStream().flush();
                    if (round % 2 == 0) {
                        s.getInputStream().read(); // some answers started, most still on the ring
                    }
                }
            }
            RouteStats route = f.server.stats().routes().get(0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (route.inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(route.inFlight()).as("requests still counted in flight").isZero();
            assertThat(route.responses(2)).as("every request accepted was answered (or its answer dropped)")
                    .isEqualTo(route.requests());
            assertThat(f.get("/n/7").body()).isEqualTo("7");
        }
    }
}
