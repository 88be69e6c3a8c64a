package io.vela.http.client;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, fully read response: status, headers and body. The body is held on the heap (at most the
 * client's {@code maxResponseBytes}); {@link #body()} returns a copy.
 */
public final class HttpClientResponse {
    private final int status;
    private final URI uri;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    /**
     * @param status  the status code
     * @param uri     the URI that answered (after redirects)
     * @param headers header values by lower-case name
     * @param body    the body (kept, not copied)
     */
    public HttpClientResponse(int status, URI uri, Map<String, List<String>> headers, byte[] body) {
        this.status = status;
        this.uri = uri;
        this.headers = Map.copyOf(headers);
        this.body = body;
    }

    /** @return the status code */
    public int status() {
        return status;
    }

    /** @return the URI that answered: the request's, or the last redirect's target */
    public URI uri() {
        return uri;
    }

    /**
     * @param name header name, any case
     * @return its first value, or empty if absent
     */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /**
     * @param name header name, any case
     * @return all its values in order; empty if absent
     */
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** @return a copy of the body; empty for none */
    public byte[] body() {
        return body.clone();
    }

    /** @return the body's length in bytes */
    public int bodyLength() {
        return body.length;
    }

    /** @return the body decoded with the {@code Content-Type} charset, UTF-8 if it names none */
    public String bodyText() {
        Charset cs = StandardCharsets.UTF_8;
        Optional<String> ct = header("content-type");
        if (ct.isPresent()) {
            int i = ct.get().toLowerCase(Locale.ROOT).indexOf("charset=");
            if (i >= 0) {
                String name = ct.get().substring(i + 8).split(";", 2)[0].trim().replace("\"", "");
                try {
                    cs = Charset.forName(name);
                } catch (IllegalArgumentException unknown) {
                    cs = StandardCharsets.UTF_8;
                }
            }
        }
        return new String(body, cs);
    }

    @Override
    public String toString() {
        return status + " from " + uri + " (" + body.length + " bytes)";
    }
}
