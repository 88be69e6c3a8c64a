package io.vela.http;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** A runtime with two workers and a JDK client; servers bind 127.0.0.1 on an ephemeral port. */
final class Fixture implements AutoCloseable {
    final VelaRuntime runtime;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    HttpServer server;

    Fixture() {
        this(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2).set(HttpSettings.PORT, 0).build());
    }

    Fixture(VelaConfig config) {
        runtime = VelaRuntime.start(config);
    }

    HttpServer start(HttpServer.Builder b) {
        server = b.start();
        return server;
    }

    HttpServer.Builder builder() {
        return VelaHttp.server(runtime);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    java.net.http.HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        var req = java.net.http.HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body)).build();
        return client.send(req, BodyHandlers.ofString());
    }

    java.net.http.HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
