package io.vela.http;

import java.util.Optional;

/**
 * A received request with its whole body. Immutable; may be read from any thread.
 */
public interface HttpRequest {
    /** @return the method, e.g. {@code GET} */
    String method();

    /** @return the decoded path without the query, e.g. {@code /orders/17} */
    String path();

    /** @return the request target as sent, e.g. {@code /orders/17?x=1} */
    String uri();

    /**
     * @param name a parameter of the route's template, e.g. {@code id} for {@code /orders/{id}}
     * @return its decoded value
     * @throws IllegalArgumentException when the route's template has no such parameter
     */
    String pathParam(String name);

    /**
     * @param name a query parameter
     * @return its first value, if present
     */
    Optional<String> query(String name);

    /**
     * @param name a header name (any case)
     * @return its first value, if present
     */
    Optional<String> header(String name);

    /** @return the body (empty array when none); a copy the caller may keep */
    byte[] body();

    /** @return the body as UTF-8 text */
    String bodyText();

    /**
     * @param type the type to read the JSON body as
     * @param <T>  that type
     * @return the body decoded by the server's {@link JsonCodec}
     * @throws HttpStatusException 400 when the body is not valid JSON for {@code type}
     */
    <T> T bodyAs(Class<T> type);

    /** @return the protocol version, e.g. {@code HTTP/1.1} */
    String protocol();

    /**
     * @param name a header name
     * @param value its value
     * @return a copy of this request with the header set (for middleware that passes a changed request on)
     */
    HttpRequest withHeader(String name, String value);
}
