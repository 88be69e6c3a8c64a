package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProtocolTest {
    private Fixture f;

    @BeforeEach
    void start() {
        f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2).set(HttpSettings.PORT, 0)
                .set(HttpSettings.MAX_CONTENT_LENGTH, 1024).set(HttpSettings.MAX_INITIAL_LINE, 256)
                .set(HttpSettings.MAX_HEADER_SIZE, 1024).set(HttpSettings.MAX_PIPELINED, 4).build());
        f.start(f.builder()
                .get("/sleep/{ms}", r -> {
                    Thread.sleep(Long.parseLong(r.pathParam("ms")));
                    return HttpResponse.text(200, "slept " + r.pathParam("ms"));
                })
                .post("/echo", r -> HttpResponse.bytes(200, r.body(), "application/octet-stream"))
                .get("/stream", r -> HttpResponse.chunked(200, "text/plain", chunks(3)))
                .get("/big", r -> HttpResponse.text(200, "x".repeat(4000))));
    }

    private static Iterator<byte[]> chunks(int n) {
        return IntStream.range(0, n).mapToObj(i -> ("part" + i + ";").getBytes()).iterator();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            for (int i = 0; i < 5; i++) {
                var r = c.send("GET /sleep/0 HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("connection")).isNull();
            }
        }
        assertThat(f.server.stats().acceptedConnections()).isEqualTo(1);
    }

    @Test
    void pipelinedResponsesComeBackInRequestOrderBeyondTheDepthBound() throws Exception {
        List<Integer> sleeps = List.of(150, 0, 80, 0, 30, 0, 0, 60, 0, 10);
        StringBuilder sb = new StringBuilder();
        sleeps.forEach(ms -> sb.append("GET /sleep/").append(ms).append(" HTTP/1.1\r\nHost: x\r\n\r\n"));
        try (RawConnection c = new RawConnection(f.server.port())) {
            c.send(sb.toString());
            for (int ms : sleeps) {
                assertThat(c.read().body()).isEqualTo("slept " + ms);
            }
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            var r = c.send("GET /sleep/0 HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawConnection c = new RawConnection(f.server.port())) {
            var r = c.send("GET /sleep/0 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(c.send("GET /sleep/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().body())
                    .isEqualTo("slept 1");
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            var r = c.send("GET /sleep/0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void chunkedResponsesOn11AndCloseDelimitedOn10() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            var r = c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.body()).isEqualTo("part0;part1;part2;");
            assertThat(c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n").read().body())
                    .isEqualTo("part0;part1;part2;");
            var head = c.send("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(c.send("GET /sleep/0 HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("slept 0");
        }
        try (RawConnection c = new RawConnection(f.server.port())) {
            var r = c.send("GET /stream HTTP/1.0\r\n\r\n").read();
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.body()).isEqualTo("part0;part1;part2;");
        }
    }

    @Test
    void chunkedRequestBodiesAreAggregated() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            var r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").read();
            assertThat(r.body()).isEqualTo("abcde");
        }
    }

    @Test
    void expectContinueIsAnsweredThenTheBodyRead() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            var r = c.send("hello").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello");
        }
        try (RawConnection c = new RawConnection(f.server.port())) { // too large: refused before the body is sent
            var r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(413);
        }
    }

    @Test
    void limitsAndMalformedRequestsGetShortAnswersAndTheServerKeepsServing() throws Exception {
        assertStatus("GET /" + "a".repeat(400) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
        assertStatus("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(2000) + "\r\n\r\n", 431);
        assertStatus("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n" + "c".repeat(4000), 413);
        assertStatus("GET /sleep/0 HTTP/1.1\r\n\r\n", 400);
        assertStatus("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
        assertStatus("GET /sleep/0 HTTP/1.2\r\nHost: x\r\n\r\n", 505);
        assertStatus("NOT A REQUEST\r\n\r\n", 400);
        assertStatus("GET /sleep/%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertStatus("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n", 400);
        assertStatus("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400);
        try (RawConnection c = new RawConnection(f.server.port())) {
            assertThat(c.send("GET /sleep/0 HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void compressionIsOffByDefault() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            var r = c.send("GET /big HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n").read();
            assertThat(r.header("content-encoding")).isNull();
            assertThat(r.body()).hasSize(4000);
        }
    }

    @Test
    void compressionWhenEnabled() throws Exception {
        try (Fixture g = new Fixture()) {
            g.start(g.builder().compression(true).get("/big", r -> HttpResponse.text(200, "x".repeat(4000))));
            var r = g.client.send(java.net.http.HttpRequest.newBuilder(g.uri("/big"))
                    .header("accept-encoding", "gzip").build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.headers().firstValue("content-encoding")).hasValue("gzip");
            byte[] plain = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))
                    .readAllBytes();
            assertThat(new String(plain)).isEqualTo("x".repeat(4000));
            assertThat(r.body().length).isLessThan(4000);
        }
    }

    private void assertStatus(String raw, int status) throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            var r = c.send(raw).read();
            assertThat(r.status()).as(raw.lines().findFirst().orElse("")).isEqualTo(status);
            if (status >= 400) {
                assertThat(c.closedByServer()).as("closed after " + status).isTrue();
            }
        }
    }
}
