package io.vela.http;

import io.vela.engine.VelaRuntime;
import io.vela.http.client.HttpClient;

/** Entry points of Vela's HTTP edge. */
public final class VelaHttp {
    private VelaHttp() {
    }

    /**
     * @param runtime the runtime whose ring workers complete the client's futures (unless told otherwise)
     * @return a builder for an HTTP client; {@code start()} starts it
     */
    public static HttpClient.Builder client(VelaRuntime runtime) {
        return HttpClient.builder(runtime);
    }
}
