package io.vela.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable response: status, headers, and either a whole body or a stream of chunks
 * ({@link #chunked(int, String, Iterator)}). {@link #json(int, Object)} bodies are written by the server's
 * {@link JsonCodec} when the response is sent. {@code withHeader} returns a copy.
 */
public final class HttpResponse {
    private static final byte[] EMPTY = new byte[0];
    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final Object jsonValue;
    private final Iterator<byte[]> chunks;

    private HttpResponse(int status, List<Map.Entry<String, String>> headers, byte[] body, Object jsonValue,
                         Iterator<byte[]> chunks) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status = " + status + " is invalid; valid: 100..999");
        }
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.jsonValue = jsonValue;
        this.chunks = chunks;
    }

    /**
     * @param status the status
     * @return a response without a body
     */
    public static HttpResponse of(int status) {
        return new HttpResponse(status, List.of(), EMPTY, null, null);
    }

    /**
     * @param status the status
     * @param text   the body, sent as {@code text/plain; charset=UTF-8}
     * @return the response
     */
    public static HttpResponse text(int status, String text) {
        return bytes(status, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=UTF-8");
    }

    /**
     * @param status      the status
     * @param body        the body (not copied: do not change it afterwards)
     * @param contentType its content type
     * @return the response
     */
    public static HttpResponse bytes(int status, byte[] body, String contentType) {
        return new HttpResponse(status, List.of(Map.entry("content-type", contentType)),
                Objects.requireNonNull(body, "body"), null, null);
    }

    /**
     * @param status the status
     * @param value  written as {@code application/json} by the server's {@link JsonCodec}
     * @return the response
     */
    public static HttpResponse json(int status, Object value) {
        return new HttpResponse(status, List.of(Map.entry("content-type", "application/json")), EMPTY,
                Objects.requireNonNull(value, "value"), null);
    }

    /**
     * A streamed response sent with {@code Transfer-Encoding: chunked} (HTTP/1.1) as the connection can take it.
     * The server pulls chunks on the connection's event loop: {@code hasNext}/{@code next} must not block.
     *
     * @param status      the status
     * @param contentType the content type
     * @param chunks      the chunks, in order; each non-empty
     * @return the response
     */
    public static HttpResponse chunked(int status, String contentType, Iterator<byte[]> chunks) {
        return new HttpResponse(status, List.of(Map.entry("content-type", contentType)), EMPTY, null,
                Objects.requireNonNull(chunks, "chunks"));
    }

    /**
     * @param name  a header name
     * @param value its value
     * @return a copy with the header added (a {@code content-type} replaces the one set by the factory)
     */
    public HttpResponse withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        List<Map.Entry<String, String>> h = new ArrayList<>(headers.size() + 1);
        for (Map.Entry<String, String> e : headers) {
            if (!(name.equalsIgnoreCase("content-type") && e.getKey().equalsIgnoreCase("content-type"))) {
                h.add(e);
            }
        }
        h.add(Map.entry(name, value));
        return new HttpResponse(status, Collections.unmodifiableList(h), body, jsonValue, chunks);
    }

    /** @return the status */
    public int status() {
        return status;
    }

    /** @return the headers, in order */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /**
     * @param name a header name (any case)
     * @return its first value, if set
     */
    public Optional<String> header(String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * @param codec writes a {@link #json(int, Object)} value
     * @return the whole body (empty for a chunked response)
     */
    public byte[] body(JsonCodec codec) {
        return jsonValue == null ? body : codec.write(jsonValue);
    }

    /**
     * The server calls this on the thread that completed the handler, so that JSON is written there and not on
     * the event loop.
     *
     * @param codec writes a {@link #json(int, Object)} value
     * @return this, or for a JSON response a copy holding the written bytes
     * @throws IllegalArgumentException when the value cannot be written
     */
    public HttpResponse encoded(JsonCodec codec) {
        return jsonValue == null ? this : new HttpResponse(status, headers, codec.write(jsonValue), null, chunks);
    }

    /** @return the chunks of a {@link #chunked} response */
    public Optional<Iterator<byte[]>> chunks() {
        return Optional.ofNullable(chunks);
    }
}
