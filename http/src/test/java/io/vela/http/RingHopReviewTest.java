package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Review of the ring hop batched per event loop (ADR 0014, decision 6): each test reproduces one finding of the
 * review against the server as users run it (loopback, raw connections).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RingHopReviewTest {

    /**
     * ADR 0009, decision 2: a ring that refuses with {@code CLOSED} is answered 503 <em>and a close</em>; a
     * keep-alive connection must not stay open to a server whose executor no longer runs anything (its client
     * would send every retry down the same dead connection). Unkeyed (batched) and keyed (offered at once) alike.
     */
    @Test
    void aClosedRingIsAnswered503AndTheConnectionClosesAfterIt() throws Exception {
        try (Fixture f = new Fixture(VelaConfig.builder().set(HttpSettings.PORT, 0).set(Settings.EXECUTOR_WORKERS, 1)
                .build())) {
            HttpHandler ran = r -> HttpResponse.text(200, "ran");
            f.start(f.builder().eventLoops(1).get("/n", ran).route("GET", "/k", ran,
                            RouteOptions.defaults().keyedByHeader("x-key")));
            f.runtime.executor().shutdown(); // the ring refuses everything from now on: CLOSED
            for (String request : new String[] {"GET /n HTTP/1.1\r\nHost: x\r\n\r\n",
                    "GET /k HTTP/1.1\r\nHost: x\r\nx-key: a\r\n\r\n"}) {
                try (RawConnection c = new RawConnection(f.server.port())) {
                    c.send(request);
                    RawConnection.Response r = c.read();
                    assertThat(r.status()).isEqualTo(503);
                    assertThat(r.body()).isEqualTo("shutting down\n");
                    assertThat(r.header("connection")).as(request).isEqualToIgnoringCase("close");
                    assertThat(c.closedByServer()).isTrue();
                }
            }
            assertThat(f.server.stats().rejected()).isEqualTo(2);
        }
    }
}
