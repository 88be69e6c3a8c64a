package io.vela.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.http.HttpResponse;
import io.vela.http.HttpSettings;
import io.vela.http.VelaHttp;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A lingering close that ends early (the client closes) leaves no timer behind: each scheduled close would hold its
 * channel and pipeline in the event loop's timer queue for the whole read timeout, which a load of short
 * {@code Connection: close} exchanges turns into many retained connections.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LingeringCloseTimerTest {
    private static final int CONNECTIONS = 10;

    @Test
    void aLingerEndedByTheClientCancelsItsTimer() throws Exception {
        VelaRuntime runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(HttpSettings.PORT, 0).set(HttpSettings.EVENT_LOOPS, 1)
                .set(HttpSettings.REQUEST_READ_TIMEOUT_MS, 30_000L).build());
        try {
            NettyHttpServer server = (NettyHttpServer) VelaHttp.server(runtime)
                    .post("/echo", r -> HttpResponse.text(200, r.bodyText())).start();
            int before = scheduledTimers(server);
            for (int i = 0; i < CONNECTIONS; i++) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                    s.setSoTimeout(5_000);
                    s.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                            + "Connection: close\r\n\r\nhi").getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII); // up to the FIN
                    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("hi");
                } // the client closes: the linger ends at once
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.stats().openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.stats().openConnections()).isZero();
            assertThat(scheduledTimers(server)).as("timers left on the event loop after %d closed connections",
                    CONNECTIONS).isLessThanOrEqualTo(before);
        } finally {
            runtime.close();
        }
    }

    /** @return the timers queued on the server's event loops (read on each loop) */
    private static int scheduledTimers(NettyHttpServer server) throws Exception {
        Field f = NettyHttpServer.class.getDeclaredField("group");
        f.setAccessible(true);
        Method queue = AbstractScheduledEventExecutor.class.getDeclaredMethod("scheduledTaskQueue");
        queue.setAccessible(true);
        int n = 0;
        for (EventExecutor loop : (EventLoopGroup) f.get(server)) {
            n += loop.submit(() -> {
                Object q = queue.invoke(loop);
                return q == null ? 0 : ((java.util.Collection<?>) q).size();
            }).get(5, TimeUnit.SECONDS);
        }
        return n;
    }
}
