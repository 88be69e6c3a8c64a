package io.vela.http;

import io.vela.engine.VelaRuntime;

/** Entry point of the HTTP edge: {@code VelaHttp.server(runtime).get("/", h).start()}. */
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
}
