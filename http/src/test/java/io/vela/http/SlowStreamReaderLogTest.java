package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Review of the minimum drain rate (ADR 0014 decision 8: a slow reader's close is "logged at DEBUG only (an attack
 * must not flood the log)"): a slow reader of a streamed answer is cut like any other, and its cut logs no WARN — the
 * dispatcher's "streamed answer failed midway" WARN is for a chunk iterator that threw, not for a connection the
 * server (or the client) closed.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SlowStreamReaderLogTest {
    private static final byte[] CHUNK = new byte[64 * 1024];

    @Test
    void aSlowReaderOfAStreamedAnswerIsCutWithoutAWarning() throws Exception {
        Logger dispatcherLog = LoggerFactory.getLogger("io.vela.http.internal.HttpDispatcher");
        Field level = dispatcherLog.getClass().getDeclaredField("currentLogLevel"); // slf4j-simple, tests only
        level.setAccessible(true);
        int before = level.getInt(dispatcherLog);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        level.setInt(dispatcherLog, 30); // WARN: the test resources silence the dispatcher below ERROR
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Fixture f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(HttpSettings.PORT, 0).set(HttpSettings.MIN_SEND_RATE, 512L * 1024)
                .set(HttpSettings.SEND_RATE_WINDOW_MS, 200L).build())) {
            f.start(f.builder().host("127.0.0.1").get("/stream", r -> {
                Iterator<byte[]> chunks = IntStream.range(0, 400).mapToObj(i -> CHUNK).iterator(); // 25 MiB
                return HttpResponse.chunked(200, "application/octet-stream", chunks);
            }));
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(16 * 1024);
                s.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 5_000);
                s.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                while (f.server.stats().slowReadersClosed() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10); // reads nothing
                }
                assertThat(f.server.stats().slowReadersClosed()).as("the slow reader of a stream, cut").isEqualTo(1);
                Thread.sleep(200); // the stream's failed write reaches its listener on the event loop
            }
        } finally {
            System.setErr(err);
            level.setInt(dispatcherLog, before);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).as("what was logged").doesNotContain("WARN");
    }
}
