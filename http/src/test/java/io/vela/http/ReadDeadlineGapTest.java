package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The read deadline counts from a request's first byte even when those bytes arrive in the same read as the end of
 * the request before it (a slowloris sending a whole request and the start of the next in one write, then nothing):
 * a 408 after the read timeout, not a close by the much longer idle timeout.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReadDeadlineGapTest {
    private Fixture f;

    @BeforeEach
    void start() {
        f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).set(HttpSettings.PORT, 0)
                .set(HttpSettings.REQUEST_READ_TIMEOUT_MS, 300L).set(HttpSettings.IDLE_TIMEOUT_MS, 15_000L).build());
        f.start(f.builder().get("/ok", r -> HttpResponse.text(200, "ok"))
                .post("/echo", r -> HttpResponse.text(200, r.bodyText())));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private void expect408After(String first, String startOfNext) throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            c.send(first + startOfNext);
            assertThat(c.read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(c.read().status()).as("after %s", startOfNext.replace("\r\n", "|")).isEqualTo(408);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000L);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void halfAHeadAfterAWholeRequestInOneRead() throws Exception {
        expect408After("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n", "GET /ok HTTP/1.1\r\nHo");
    }

    @Test
    void aHeadWithoutItsBodyAfterAWholeRequestInOneRead() throws Exception {
        expect408After("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nab");
    }

    @Test
    void wholeHeaderLinesWithoutTheEndOfTheHeadAfterAWholeRequestInOneRead() throws Exception {
        expect408After("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n", "GET /ok HTTP/1.1\r\nHost: x\r\n");
    }

    @Test
    void aStrayLineBreakAfterABodyIsNoRequest() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi\r\n"); // as old clients do
            assertThat(c.read().body()).isEqualTo("hi");
            Thread.sleep(900); // three read timeouts
            assertThat(c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void theRestOfASlowRequestAndHalfTheNextInOneRead() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            c.send("GET /ok HTTP/1.1\r\n");
            Thread.sleep(100);
            c.send("Host: x\r\n\r\nGET /ok HTTP/1.1\r\nHo");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.read().status()).isEqualTo(408);
        }
    }

    @Test
    void aKeepAliveConnectionIdleAfterItsAnswersGetsNo408() throws Exception {
        try (RawConnection c = new RawConnection(f.server.port())) {
            c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.read().status()).isEqualTo(200);
            Thread.sleep(900); // three read timeouts with nothing sent
            assertThat(c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
    }
}
