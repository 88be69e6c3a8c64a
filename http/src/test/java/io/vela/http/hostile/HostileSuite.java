package io.vela.http.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.VelaConfig;
import java.util.concurrent.TimeUnit;
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

    /** Every case closed its sockets: the server must have let go of every connection too (nothing leaks). */
    @AfterAll
    final void stopServer() throws InterruptedException {
        if (server == null) {
            return;
        }
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (server.openConnections() > 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(server.openConnections()).as("connections still open on the server after the class's cases")
                    .isZero();
        } finally {
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
