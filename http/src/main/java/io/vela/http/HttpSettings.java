package io.vela.http;

import io.vela.engine.Setting;
import io.vela.engine.Settings;
import io.vela.engine.SettingsProvider;
import java.util.List;

/**
 * The {@code http.*} configuration keys (for example system property {@code vela.http.port}), validated by
 * {@code VelaConfig} like the engine's own: found through {@link java.util.ServiceLoader} as a
 * {@link SettingsProvider}. Builder calls on {@link HttpServer.Builder} override them.
 */
public final class HttpSettings implements SettingsProvider {
    /** Address to bind. */
    public static final Setting<String> HOST = Settings.text("http.host", "127.0.0.1", "address the server binds");
    /** Port to bind; 0 picks a free one. */
    public static final Setting<Integer> PORT = Settings.integer("http.port", 8080, 0, 65_535,
            "port the server binds (0 = any free port)");
    /** Netty transport. */
    public static final Setting<HttpTransport> TRANSPORT = Settings.choice("http.transport", HttpTransport.class,
            HttpTransport.AUTO, "Netty transport: auto tries io-uring, then epoll, then nio");
    /** Event-loop threads; 0 fits them to the cores left beside the executor's workers. */
    public static final Setting<Integer> EVENT_LOOPS = Settings.integer("http.event-loops", 0, 0, 1024,
            "event-loop threads (0 = cores less executor workers, at least 1)");
    /** Longest request line. */
    public static final Setting<Integer> MAX_INITIAL_LINE = Settings.integer("http.max-initial-line-length", 4096,
            64, 1 << 20, "longest request line in bytes (longer: 414)");
    /** Largest header block. */
    public static final Setting<Integer> MAX_HEADER_SIZE = Settings.integer("http.max-header-size", 8192, 256,
            1 << 20, "largest header block in bytes (larger: 431)");
    /** Largest request body. */
    public static final Setting<Integer> MAX_CONTENT_LENGTH = Settings.integer("http.max-content-length", 1 << 20,
            0, Integer.MAX_VALUE, "largest request body in bytes (larger: 413)");
    /** Requests one connection may have in flight (pipelined) before the server stops reading it. */
    public static final Setting<Integer> MAX_PIPELINED = Settings.integer("http.max-pipelined", 16, 1, 1024,
            "pipelined requests in flight per connection before reading pauses");
    /** Open connections, at most. */
    public static final Setting<Integer> MAX_CONNECTIONS = Settings.integer("http.max-connections", 10_000, 1,
            1 << 22, "open connections at most (more: 503 and close)");
    /** Idle keep-alive connections are closed after this long. */
    public static final Setting<Long> IDLE_TIMEOUT_MS = Settings.longRange("http.idle-timeout-ms", 60_000, 1,
            86_400_000, "close a connection idle this long (ms)");
    /** A request must arrive whole within this long of its first byte (slow clients: 408 and close). */
    public static final Setting<Long> REQUEST_READ_TIMEOUT_MS = Settings.longRange("http.request-read-timeout-ms",
            10_000, 1, 86_400_000, "time to receive a whole request from its first byte (ms; then 408)");
    /**
     * Answers must drain to the client at this many bytes per second at least, judged over each
     * {@link #SEND_RATE_WINDOW_MS} while bytes wait to be sent; a connection that drains fewer is closed (a slow-read
     * attack). 0 turns the check off.
     */
    public static final Setting<Long> MIN_SEND_RATE = Settings.longRange("http.min-send-rate", 1024, 0, 1L << 30,
            "bytes per second an answer must drain at least while bytes wait to be sent (slower: close; 0 = off)");
    /**
     * The window {@link #MIN_SEND_RATE} is judged over; also the grace an answer has before its first judgement.
     */
    public static final Setting<Long> SEND_RATE_WINDOW_MS = Settings.longRange("http.send-rate-window-ms", 10_000,
            10, 3_600_000, "window over which http.min-send-rate is judged, and the grace before the first (ms)");
    /** Seconds sent in {@code Retry-After} with a 503 for a full ring. */
    public static final Setting<Integer> RETRY_AFTER_SECONDS = Settings.integer("http.retry-after-seconds", 1, 0,
            86_400, "Retry-After seconds sent with 503 when the executor's ring is full");
    /** Compress responses the client accepts compressed (Netty's HttpContentCompressor). */
    public static final Setting<Boolean> COMPRESSION = Settings.bool("http.compression", false,
            "gzip/deflate responses for clients that accept it");

    /** For the {@link java.util.ServiceLoader}; use the constants. */
    public HttpSettings() {
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(HOST, PORT, TRANSPORT, EVENT_LOOPS, MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CONTENT_LENGTH,
                MAX_PIPELINED, MAX_CONNECTIONS, IDLE_TIMEOUT_MS, REQUEST_READ_TIMEOUT_MS, MIN_SEND_RATE,
                SEND_RATE_WINDOW_MS, RETRY_AFTER_SECONDS, COMPRESSION);
    }
}
