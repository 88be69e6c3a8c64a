package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client's half-close on each transport: the answers still due are written, then the connection closes; an idle
 * half-closed connection closes at once. (Half-closure is each transport's own code path in Netty.)
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HalfCloseTransportTest {

    @ParameterizedTest
    @EnumSource(value = HttpTransport.class, names = {"NIO", "EPOLL", "IO_URING"})
    void answersDueAreWrittenThenTheConnectionCloses(HttpTransport transport) throws Exception {
        try (Fixture f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2)
                .set(HttpSettings.PORT, 0).build())) {
            try {
                f.start(f.builder().transport(transport).get("/slow", r -> {
                    Thread.sleep(200);
                    return HttpResponse.text(200, "slow");
                }));
            } catch (VelaException notHere) {
                Assumptions.abort(transport + " is not available here: " + notHere.getMessage());
            }
            String answers = halfCloseAfter(f, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(answers.split("HTTP/1.1 200", -1)).as("answers:\n%s", answers).hasSize(3);
            assertThat(halfCloseAfter(f, "")).as("an idle half-closed connection").isEmpty();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (f.server.stats().openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(f.server.stats().openConnections()).isZero();
        }
    }

    /** @return what the server sends after the requests and the client's half-close, up to its close */
    private static String halfCloseAfter(Fixture f, String requests) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 5_000);
            s.setSoTimeout(4_000); // a server that keeps the connection open fails the read with a timeout
            s.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
