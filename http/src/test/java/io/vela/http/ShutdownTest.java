package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ShutdownTest {

    private static VelaConfig config(long deadlineMs) {
        return VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2).set(HttpSettings.PORT, 0)
                .set(Settings.SHUTDOWN_DEADLINE_MS, deadlineMs).build();
    }

    @Test
    void runtimeCloseLetsInFlightRequestsFinishThenStopsAccepting() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        Fixture f = new Fixture(config(5_000));
        f.start(f.builder().get("/slow", r -> {
            entered.countDown();
            Thread.sleep(300);
            return HttpResponse.text(200, "finished");
        }));
        int port = f.server.port();
        try (RawConnection busy = new RawConnection(port); RawConnection idle = new RawConnection(port)) {
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            f.runtime.close();
            var r = busy.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("finished");
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(busy.closedByServer()).isTrue();
            assertThat(idle.closedByServer()).isTrue();
        }
        ShutdownReport http = f.runtime.shutdownReports().get(0);
        assertThat(http.name()).isEqualTo("http:" + port);
        assertThat(http.completed()).isTrue();
        assertThat(f.runtime.stats().components()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RawConnection(port))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aRequestOutlivingTheDeadlineIsCutAndReportedNotHung() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Fixture f = new Fixture(config(400));
        f.start(f.builder().get("/stuck", r -> {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            return HttpResponse.text(200, "late");
        }));
        try (RawConnection c = new RawConnection(f.server.port())) {
            c.send("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            // the server is its own shutdown participant: what the runtime's close() would get
            ShutdownReport report = ((io.vela.engine.ShutdownParticipant) f.server).shutdown(
                    java.time.Duration.ofMillis(300));
            assertThat(report.completed()).isFalse();
            assertThat(report.notRun()).isEqualTo(1);
            assertThat(c.closedByServer()).isTrue();
            f.server.close(); // idempotent; deregisters from the runtime
        } finally {
            release.countDown();
            f.close();
        }
        assertThat(f.runtime.shutdownReports()).noneMatch(r -> r.name().startsWith("http"));
        assertThat(f.server.stats().openConnections()).isZero();
    }

    /** Races requests against runtime.close(): each is answered, refused with 503, or its connection closed. */
    @Test
    void requestsRacingCloseAreEachAnsweredRefusedOrClosed() throws Exception {
        Fixture f = new Fixture(config(3_000));
        f.start(f.builder().get("/w", r -> {
            Thread.sleep(1);
            return HttpResponse.text(200, "ok");
        }));
        int port = f.server.port();
        int clients = 4;
        int perClient = 200;
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AtomicBoolean go = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> jobs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            jobs.add(pool.submit(() -> {
                while (!go.get()) {
                    Thread.onSpinWait();
                }
                RawConnection c = null;
                for (int n = 0; n < perClient; n++) {
                    try {
                        if (c == null) {
                            c = new RawConnection(port);
                        }
                        var r = c.send("GET /w HTTP/1.1\r\nHost: x\r\n\r\n").read();
                        if (r.status() == 200) {
                            ok.incrementAndGet();
                        } else if (r.status() == 503) {
                            refused.incrementAndGet();
                        } else {
                            throw new AssertionError("unexpected status " + r.status());
                        }
                        if ("close".equalsIgnoreCase(r.header("connection"))) {
                            c.close();
                            c = null;
                        }
                    } catch (java.net.SocketTimeoutException hang) {
                        throw new AssertionError("request hung", hang);
                    } catch (IOException closedOrRefused) {
                        closed.incrementAndGet();
                        if (c != null) {
                            c.close();
                            c = null;
                        }
                    }
                }
                if (c != null) {
                    c.close();
                }
                return null;
            }));
        }
        go.set(true);
        Thread.sleep(100);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(f.runtime::close);
        for (Future<?> j : jobs) {
            j.get(30, TimeUnit.SECONDS); // rethrows a hang or an unexpected status
        }
        closing.get(10, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(ok.get() + refused.get() + closed.get()).isEqualTo(clients * perClient);
        assertThat(ok.get()).isPositive();
        assertThat(closed.get()).isPositive();
        assertThat(f.runtime.shutdownReports().get(0).completed()).isTrue();
    }
}
