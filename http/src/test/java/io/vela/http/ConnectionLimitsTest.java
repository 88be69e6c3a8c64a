package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ConnectionLimitsTest {

    private static Fixture fixture(VelaConfig.Builder extra) {
        return new Fixture(extra.set(Settings.EXECUTOR_WORKERS, 2).set(HttpSettings.PORT, 0).build());
    }

    @Test
    void aSlowRequestGets408AndOtherClientsAreServed() throws Exception {
        try (Fixture f = fixture(VelaConfig.builder().set(HttpSettings.REQUEST_READ_TIMEOUT_MS, 300L))) {
            f.start(f.builder().get("/x", r -> HttpResponse.text(200, "x")));
            try (RawConnection slow = new RawConnection(f.server.port())) {
                slow.send("GET /x HTTP/1.1\r\nHo");
                try (RawConnection other = new RawConnection(f.server.port())) {
                    assertThat(other.send("GET /x HTTP/1.1\r\nHost: y\r\n\r\n").read().body()).isEqualTo("x");
                }
                Thread.sleep(150);
                slow.send("st: x\r\n"); // trickling bytes does not extend the deadline
                assertThat(slow.read().status()).isEqualTo(408);
                assertThat(slow.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosed() throws Exception {
        try (Fixture f = fixture(VelaConfig.builder().set(HttpSettings.IDLE_TIMEOUT_MS, 300L))) {
            f.start(f.builder().get("/x", r -> HttpResponse.text(200, "x")));
            try (RawConnection c = new RawConnection(f.server.port())) {
                assertThat(c.send("GET /x HTTP/1.1\r\nHost: y\r\n\r\n").read().status()).isEqualTo(200);
                long start = System.nanoTime();
                assertThat(c.closedByServer()).isTrue();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(100L, 5_000L);
            }
        }
    }

    @Test
    void connectionsBeyondTheCapAreRefused503() throws Exception {
        try (Fixture f = fixture(VelaConfig.builder().set(HttpSettings.MAX_CONNECTIONS, 2))) {
            f.start(f.builder().get("/x", r -> HttpResponse.text(200, "x")));
            try (RawConnection a = new RawConnection(f.server.port());
                 RawConnection b = new RawConnection(f.server.port())) {
                assertThat(a.send("GET /x HTTP/1.1\r\nHost: y\r\n\r\n").read().status()).isEqualTo(200);
                assertThat(b.send("GET /x HTTP/1.1\r\nHost: y\r\n\r\n").read().status()).isEqualTo(200);
                try (RawConnection c = new RawConnection(f.server.port())) {
                    assertThat(c.read().status()).isEqualTo(503);
                    assertThat(c.closedByServer()).isTrue();
                }
            }
            // the refused one's slot is given back; a new connection is served again
            for (int i = 0; i < 50 && f.server.stats().openConnections() > 0; i++) {
                Thread.sleep(20);
            }
            try (RawConnection d = new RawConnection(f.server.port())) {
                assertThat(d.send("GET /x HTTP/1.1\r\nHost: y\r\n\r\n").read().status()).isEqualTo(200);
            }
        }
    }

    /** Many pipelined connections at once: every request answered once, in order, with its own id. */
    @Test
    void concurrentPipelinedConnectionsLoseNothing() throws Exception {
        try (Fixture f = fixture(VelaConfig.builder())) {
            f.start(f.builder().get("/echo/{id}", r -> HttpResponse.text(200, r.pathParam("id")))
                    .route("GET", "/loop/{id}", (HttpHandler) r -> HttpResponse.text(200, r.pathParam("id")),
                            RouteOptions.defaults().nonBlocking()));
            int conns = 8;
            int each = 300;
            List<CompletableFuture<Integer>> jobs = new ArrayList<>();
            for (int c = 0; c < conns; c++) {
                int cid = c;
                jobs.add(CompletableFuture.supplyAsync(() -> {
                    try (RawConnection rc = new RawConnection(f.server.port())) {
                        StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < each; i++) {
                            sb.append("GET /").append(i % 3 == 0 ? "loop" : "echo").append('/').append(cid)
                                    .append('-').append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
                        }
                        rc.send(sb.toString());
                        int n = 0;
                        for (int i = 0; i < each; i++) {
                            var r = rc.read();
                            assertThat(r.body()).isEqualTo(cid + "-" + i);
                            n++;
                        }
                        return n;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            int total = 0;
            for (var j : jobs) {
                total += j.get(30, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(conns * each);
            long served = f.server.stats().routes().stream().mapToLong(RouteStats::requests).sum();
            assertThat(served).isEqualTo((long) conns * each);
        }
    }
}
