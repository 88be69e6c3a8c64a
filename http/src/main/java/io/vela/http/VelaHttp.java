package io.vela.http;

import io.vela.engine.VelaRuntime;
import io.vela.http.client.HttpClient;

/**
 * Entry point of the HTTP edge: {@code VelaHttp.server(runtime).get("/", h).start()} for the server,
 * {@code VelaHttp.client(runtime).start()} for the client.
 */
public final class VelaHttp {
    private VelaHttp() {
    }

    /**
     * @param runtime the runtime whose executor runs the handlers and whose {@code close()} stops the server
     * @return a server builder, starting from the runtime's {@code http.*} settings
     */
    public static HttpServer.Builder server(VelaRuntime runtime) {
        return new HttpServer.Builder(runtime);
    }

    /**
     * @param runtime the runtime whose ring workers complete the client's futures (unless told otherwise)
     * @return a builder for an HTTP client; {@code start()} starts it
     */
    public static HttpClient.Builder client(VelaRuntime runtime) {
        return HttpClient.builder(runtime);
    }
}
