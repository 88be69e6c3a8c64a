package io.vela.http.hostile;

import io.vela.engine.VelaConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Base of the hostile-input test classes: one {@link HostileServer} per class, started before its first case and
 * closed after its last. A class that needs other limits overrides {@link #configure}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(20)
abstract class HostileSuite {
    /** The server under attack. */
    protected HostileServer server;

    @BeforeAll
    final void startServer() {
        server = HostileServer.start(this::configure);
    }

    @AfterAll
    final void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * @param config the suite's default configuration
     * @return the configuration this class runs with
     */
    protected VelaConfig.Builder configure(VelaConfig.Builder config) {
        return config;
    }

    /** @return the server's port */
    protected final int port() {
        return server.port();
    }
}
