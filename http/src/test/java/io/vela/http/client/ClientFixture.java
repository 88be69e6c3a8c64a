package io.vela.http.client;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.http.VelaHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A runtime with one ring worker and a {@link TestServer}, fresh for each test. */
abstract class ClientFixture {
    VelaRuntime runtime;
    TestServer server;

    @BeforeEach
    void startRuntimeAndServer() throws InterruptedException {
        runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).build());
        server = new TestServer();
    }

    @AfterEach
    void stopRuntimeAndServer() {
        server.close();
        runtime.close();
    }

    HttpClient.Builder client() {
        return VelaHttp.client(runtime);
    }
}
