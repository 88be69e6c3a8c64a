package io.vela.http.hostile;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.http.HttpResponse;
import io.vela.http.HttpServer;
import io.vela.http.HttpSettings;
import io.vela.http.RouteStats;
import io.vela.http.VelaHttp;
import java.util.function.UnaryOperator;

/**
 * The server the hostile cases run against: a runtime with one worker, one event loop, short timeouts and small
 * limits (so that slow-client cases take well under a second each), on an ephemeral port of 127.0.0.1.
 *
 * <p>Routes: {@code GET /hello} answers "ok"; {@code POST /echo} echoes the body; {@code GET /header/{name}} answers
 * the named request header's value (404 when absent); {@code GET /seq/{n}} answers {@code n}; {@code GET /big}
 * answers 64 KiB; {@code GET /huge} answers {@link #HUGE} (8 MiB, more than loopback's socket buffers hold). Built and
 * closed by
 * the test thread.
 */
final class HostileServer implements AutoCloseable {
    /** Longest request line. */
    static final int MAX_LINE = 4096;
    /** Largest header block. */
    static final int MAX_HEADERS = 8192;
    /** Largest body. */
    static final int MAX_BODY = 64 * 1024;
    /** Pipelined requests in flight per connection before reading pauses. */
    static final int MAX_PIPELINED = 16;
    /** Idle connections close after this many milliseconds. */
    static final long IDLE_MS = 500;
    /** A request must arrive whole within this many milliseconds of its first byte. */
    static final long REQUEST_READ_MS = 600;

    /** The body of {@code GET /big}, shared by every response (so that buffering responses costs no copies). */
    static final byte[] BIG = new byte[64 * 1024];
    /** The body of {@code GET /huge}: 8 MiB of a pattern that tells a lost or repeated piece from the right one. */
    static final byte[] HUGE = pattern(8 << 20);

    private final VelaRuntime runtime;
    private final HttpServer server;

    private HostileServer(VelaRuntime runtime, HttpServer server) {
        this.runtime = runtime;
        this.server = server;
    }

    /** @return a started server with the defaults above */
    static HostileServer start() {
        return start(UnaryOperator.identity());
    }

    /**
     * @param tweaks changes to the configuration (a test's own limits)
     * @return a started server
     */
    static HostileServer start(UnaryOperator<VelaConfig.Builder> tweaks) {
        VelaConfig.Builder config = VelaConfig.builder()
                .set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.SHUTDOWN_DEADLINE_MS, 1000L)
                .set(HttpSettings.MAX_INITIAL_LINE, MAX_LINE)
                .set(HttpSettings.MAX_HEADER_SIZE, MAX_HEADERS)
                .set(HttpSettings.MAX_CONTENT_LENGTH, MAX_BODY)
                .set(HttpSettings.MAX_PIPELINED, MAX_PIPELINED)
                .set(HttpSettings.MAX_CONNECTIONS, 256)
                .set(HttpSettings.IDLE_TIMEOUT_MS, IDLE_MS)
                .set(HttpSettings.REQUEST_READ_TIMEOUT_MS, REQUEST_READ_MS);
        VelaRuntime runtime = VelaRuntime.start(tweaks.apply(config).build());
        try {
            HttpServer server = VelaHttp.server(runtime).host("127.0.0.1").port(0).eventLoops(1)
                    .get("/hello", r -> HttpResponse.text(200, "ok"))
                    .post("/echo", r -> HttpResponse.bytes(200, r.body(), "application/octet-stream"))
                    .get("/header/{name}", r -> r.header(r.pathParam("name"))
                            .map(v -> HttpResponse.text(200, v)).orElse(HttpResponse.of(404)))
                    .get("/seq/{n}", r -> HttpResponse.text(200, r.pathParam("n")))
                    .get("/big", r -> HttpResponse.bytes(200, BIG, "application/octet-stream"))
                    .get("/huge", r -> HttpResponse.bytes(200, HUGE, "application/octet-stream"))
                    .start();
            return new HostileServer(runtime, server);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** @return bytes whose value at {@code i} is {@code i % 251} (a prime: no power-of-two period) */
    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    /** @return connections closed for draining their answers slower than {@code http.min-send-rate} */
    long slowReadersClosed() {
        return server.stats().slowReadersClosed();
    }

    /** @return the bound port on 127.0.0.1 */
    int port() {
        return server.port();
    }

    /**
     * @param template a route's path template
     * @return requests that route has started so far
     */
    long requests(String template) {
        return server.stats().routes().stream().filter(r -> r.route().contains(template))
                .mapToLong(RouteStats::requests).sum();
    }

    /** @return connections the server holds open now */
    long openConnections() {
        return server.stats().openConnections();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            runtime.close();
        }
    }
}
