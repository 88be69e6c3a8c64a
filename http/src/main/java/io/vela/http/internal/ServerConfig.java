package io.vela.http.internal;

import io.netty.handler.ssl.SslContext;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaConfigException;
import io.vela.engine.VelaRuntime;
import io.vela.http.HttpSettings;
import io.vela.http.HttpTransport;
import io.vela.http.JsonCodec;
import io.vela.http.Middleware;
import java.util.List;

/**
 * A server's resolved settings and built route table. Immutable; built on the thread calling
 * {@code Builder.start()}.
 *
 * @param host               bind address
 * @param port               bind port (0 = any)
 * @param transport          requested transport
 * @param eventLoops         event-loop threads (resolved, at least 1)
 * @param compression        compress responses
 * @param tls                TLS context, or {@code null} for plain text
 * @param json               JSON codec
 * @param router             the route table
 * @param maxInitialLine     longest request line
 * @param maxHeaderSize      largest header block
 * @param maxContentLength   largest body
 * @param maxPipelined       requests in flight per connection before reading pauses
 * @param maxConnections     open connections at most
 * @param idleTimeoutMs      idle connection timeout
 * @param requestReadTimeoutMs time to read a whole request
 * @param minSendRate        bytes per second an answer must drain at least while bytes wait (0 = not checked)
 * @param sendRateWindowMs   the window the send rate is judged over
 * @param retryAfterSeconds  Retry-After with a ring-full 503
 * @param threadPrefix       thread name prefix
 */
public record ServerConfig(String host, int port, HttpTransport transport, int eventLoops, boolean compression,
                           SslContext tls, JsonCodec json, Router router, int maxInitialLine, int maxHeaderSize,
                           int maxContentLength, int maxPipelined, int maxConnections, long idleTimeoutMs,
                           long requestReadTimeoutMs, long minSendRate, long sendRateWindowMs,
                           int retryAfterSeconds, String threadPrefix) {

    /**
     * Resolves the builder's values against the runtime's configuration and builds the route table.
     *
     * @param runtime     the runtime
     * @param host        bind address
     * @param port        bind port
     * @param transport   transport
     * @param eventLoops  event loops, 0 = fitted to the cores
     * @param compression compress responses
     * @param tls         TLS context or null
     * @param json        codec
     * @param routes      declared routes
     * @param middleware  middleware, outermost first
     * @return the configuration
     * @throws VelaConfigException naming each bad route or value
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    public static ServerConfig from(VelaRuntime runtime, String host, int port, HttpTransport transport,
                                    int eventLoops, boolean compression, SslContext tls, JsonCodec json,
                                    List<RouteSpec> routes, List<Middleware> middleware) {
        VelaConfig c = runtime.config();
        int loops = eventLoops > 0 ? eventLoops : fittedEventLoops(Runtime.getRuntime().availableProcessors(),
                c.get(Settings.EXECUTOR_WORKERS));
        return new ServerConfig(host, port, transport, loops, compression, tls, json,
                new Router(routes, List.copyOf(middleware)), c.get(HttpSettings.MAX_INITIAL_LINE),
                c.get(HttpSettings.MAX_HEADER_SIZE), c.get(HttpSettings.MAX_CONTENT_LENGTH),
                c.get(HttpSettings.MAX_PIPELINED), c.get(HttpSettings.MAX_CONNECTIONS),
                c.get(HttpSettings.IDLE_TIMEOUT_MS), c.get(HttpSettings.REQUEST_READ_TIMEOUT_MS),
                checkSendRate(c.get(HttpSettings.MIN_SEND_RATE), c.get(HttpSettings.SEND_RATE_WINDOW_MS)),
                c.get(HttpSettings.SEND_RATE_WINDOW_MS),
                c.get(HttpSettings.RETRY_AFTER_SECONDS), c.get(Settings.THREAD_NAME_PREFIX));
    }

    /**
     * @param cores   available processors
     * @param workers executor workers
     * @return the cores the workers leave, at least 1
     */
    static int fittedEventLoops(int cores, int workers) {
        return Math.max(1, cores - workers);
    }

    /**
     * A minimum drain rate must ask at least one byte per window: less cannot be judged as set (a window would ask a
     * whole byte, a higher rate than the one configured).
     *
     * @param minSendRate      {@code http.min-send-rate}
     * @param sendRateWindowMs {@code http.send-rate-window-ms}
     * @return {@code minSendRate}
     * @throws VelaConfigException naming both keys, their values and the least valid rate for that window
     */
    static long checkSendRate(long minSendRate, long sendRateWindowMs) {
        if (minSendRate > 0 && minSendRate * sendRateWindowMs < 1000) {
            long least = (1000 + sendRateWindowMs - 1) / sendRateWindowMs;
            throw new VelaConfigException(List.of(HttpSettings.MIN_SEND_RATE.key() + " = " + minSendRate
                    + " is invalid with " + HttpSettings.SEND_RATE_WINDOW_MS.key() + " = " + sendRateWindowMs
                    + " (less than one byte per window); valid: 0 (off), or at least " + least
                    + " for that window, or a longer window"));
        }
        return minSendRate;
    }

    /**
     * @param key   the configuration key the value stands for
     * @param value the value
     * @param min   least valid
     * @param max   greatest valid
     * @return {@code value}
     * @throws VelaConfigException naming the key, the value and the valid range
     */
    public static int checkRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new VelaConfigException(List.of(key + " = " + value + " is invalid; valid: an integer in [" + min
                    + ", " + max + "]"));
        }
        return value;
    }
}
