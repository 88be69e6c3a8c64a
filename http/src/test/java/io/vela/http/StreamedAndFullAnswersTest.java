package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Full and streamed answers mixed on one keep-alive connection, pipelined: the connection's pipeline gains Netty's
 * chunked writer at its first streamed answer (ADR 0014, decision 7); every answer before and after it arrives whole
 * and in order, on both the ring path and the event-loop path.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StreamedAndFullAnswersTest {

    private static HttpResponse stream(String... parts) {
        return HttpResponse.chunked(200, "text/plain", List.of(parts).stream()
                .map(p -> p.getBytes(StandardCharsets.UTF_8)).iterator());
    }

    @Test
    void fullAndStreamedAnswersAlternateInOrder() throws Exception {
        try (Fixture f = new Fixture()) {
            f.start(f.builder()
                    .get("/full/{n}", r -> HttpResponse.text(200, "full " + r.pathParam("n")))
                    .get("/stream/{n}", r -> stream("stream ", r.pathParam("n"), " done"))
                    .route("GET", "/loop-stream/{n}", (HttpHandler) r -> stream("loop ", r.pathParam("n")),
                            RouteOptions.defaults().nonBlocking()));
            try (RawConnection c = new RawConnection(f.server.port())) {
                String[] paths = {"/full/1", "/stream/2", "/full/3", "/loop-stream/4", "/stream/5", "/full/6"};
                StringBuilder all = new StringBuilder();
                for (String p : paths) {
                    all.append("GET ").append(p).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
                }
                c.send(all.toString());
                String[] expected = {"full 1", "stream 2 done", "full 3", "loop 4", "stream 5 done", "full 6"};
                for (String e : expected) {
                    RawConnection.Response r = c.read();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo(e);
                }
                // and the connection goes on after them
                assertThat(c.send("GET /full/7 HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("full 7");
            }
        }
    }
}
