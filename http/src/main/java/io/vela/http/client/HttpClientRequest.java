package io.vela.http.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable request for {@link HttpClient#send}: method, absolute {@code http} or {@code https} URI, headers
 * and body.
 * {@link #withHeader} returns a copy. The body array is not copied: do not change it after handing it over.
 */
public final class HttpClientRequest {
    private static final byte[] EMPTY = new byte[0];

    private final String method;
    private final URI uri;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final String contentType;

    private HttpClientRequest(String method, URI uri, List<Map.Entry<String, String>> headers, byte[] body,
            String contentType) {
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.body = body;
        this.contentType = contentType;
    }

    /**
     * @param uri an absolute {@code http[s]://host[:port]/path[?query]} URI
     * @return a GET request
     * @throws IllegalArgumentException if the URI is not an absolute {@code http} or {@code https} URI with a host
     */
    public static HttpClientRequest get(URI uri) {
        return of("GET", uri, EMPTY, "");
    }

    /**
     * @param uri an absolute {@code http} or {@code https} URI
     * @return a DELETE request
     */
    public static HttpClientRequest delete(URI uri) {
        return of("DELETE", uri, EMPTY, "");
    }

    /**
     * @param uri         an absolute {@code http} or {@code https} URI
     * @param body        the body (not copied)
     * @param contentType its {@code Content-Type}
     * @return a POST request
     */
    public static HttpClientRequest post(URI uri, byte[] body, String contentType) {
        return of("POST", uri, body, contentType);
    }

    /**
     * @param uri         an absolute {@code http} or {@code https} URI
     * @param body        the body (not copied)
     * @param contentType its {@code Content-Type}
     * @return a PUT request
     */
    public static HttpClientRequest put(URI uri, byte[] body, String contentType) {
        return of("PUT", uri, body, contentType);
    }

    /**
     * @param method      any HTTP method token, e.g. {@code PATCH} (upper-cased)
     * @param uri         an absolute {@code http} or {@code https} URI
     * @param body        the body, empty for none (not copied)
     * @param contentType its {@code Content-Type}; empty for none
     * @return a request
     */
    public static HttpClientRequest of(String method, URI uri, byte[] body, String contentType) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("uri " + uri + ": an absolute URI with a host is needed "
                    + "(valid schemes: http, https)");
        }
        if (method.isEmpty() || method.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("method '" + method + "' is not an HTTP method token");
        }
        return new HttpClientRequest(method.toUpperCase(Locale.ROOT), uri, List.of(),
                Objects.requireNonNull(body, "body"), Objects.requireNonNull(contentType, "contentType"));
    }

    /**
     * @param name  header name
     * @param value header value
     * @return a copy with the header added (a repeated name adds another value)
     */
    public HttpClientRequest withHeader(String name, String value) {
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new HttpClientRequest(method, uri, List.copyOf(h), body, contentType);
    }

    /** @return the method, upper case */
    public String method() {
        return method;
    }

    /** @return the URI */
    public URI uri() {
        return uri;
    }

    /** @return the headers added with {@link #withHeader}, in order */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** @return the body (the array handed over, not a copy); empty for none */
    public byte[] body() {
        return body;
    }

    /** @return the body's content type; empty for none */
    public String contentType() {
        return contentType;
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }
}
