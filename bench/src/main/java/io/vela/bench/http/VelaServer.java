package io.vela.bench.http;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.http.HttpHandler;
import io.vela.http.HttpResponse;
import io.vela.http.HttpServer;
import io.vela.http.HttpTransport;
import io.vela.http.RouteOptions;
import io.vela.http.VelaHttp;

/**
 * Subjects {@code vela} and {@code vela-loop}: Vela's HTTP edge on a runtime with one ring worker, NIO, the
 * suite's event-loop count. {@code vela} runs the handlers the default way, on the ring worker (one hop through the
 * ring and back to the event loop); {@code vela-loop} declares them non-blocking, so they run on the event loop
 * like {@code netty-raw}'s. The runtime takes {@code VELA_*} environment variables and {@code vela.*} system
 * properties (none are set by the suite: the defaults are measured), so a setting can be tried without a rebuild.
 */
final class VelaServer implements SubjectServer {
    private final boolean onEventLoop;
    private VelaRuntime runtime;
    private HttpServer server;

    VelaServer(boolean onEventLoop) {
        this.onEventLoop = onEventLoop;
    }

    @Override
    public int start(int eventLoops) {
        // VELA_* variables and vela.* properties apply (e.g. VELA_EXECUTOR_WAIT_STRATEGY to try another wait);
        // one worker is set in code, so it wins
        runtime = VelaRuntime.start(VelaConfig.builder().environment(System.getenv())
                .systemProperties(System.getProperties()).set(Settings.EXECUTOR_WORKERS, 1).build());
        RouteOptions options = onEventLoop ? RouteOptions.defaults().nonBlocking() : RouteOptions.defaults();
        HttpHandler plaintext = req -> HttpResponse.bytes(200, HttpCase.HELLO, "text/plain");
        HttpHandler json = req -> HttpResponse.bytes(200, req.body(), "application/json");
        server = VelaHttp.server(runtime).host("127.0.0.1").port(0).transport(HttpTransport.NIO)
                .eventLoops(eventLoops)
                .route("GET", HttpCase.PLAINTEXT.path, plaintext, options)
                .route("POST", HttpCase.JSON.path, json, options)
                .start();
        return server.port();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }
}
