package io.vela.http.internal;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vela.http.HttpRequest;
import io.vela.http.HttpStatusException;
import io.vela.http.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decoded request: copied out of Netty's buffers on the event loop (the buffers are released at once), then
 * handed to a ring worker. Immutable; query parameters are parsed on first use by the reading thread.
 */
final class NettyRequest implements HttpRequest {
    private final String method;
    private final String uri;
    private final String path;
    private final String protocol;
    private final HttpHeaders headers;
    private final byte[] body;
    private final List<String> paramNames;
    private final String[] paramValues;
    private final JsonCodec json;
    private Map<String, List<String>> query;

    @SuppressWarnings("checkstyle:ParameterNumber")
    NettyRequest(String method, String uri, String path, String protocol, HttpHeaders headers, byte[] body,
                 List<String> paramNames, String[] paramValues, JsonCodec json) {
        this.method = method;
        this.uri = uri;
        this.path = path;
        this.protocol = protocol;
        this.headers = headers;
        this.body = body;
        this.paramNames = paramNames;
        this.paramValues = paramValues;
        this.json = json;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String pathParam(String name) {
        int i = paramNames.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("path parameter " + name + " is unknown; valid: " + paramNames);
        }
        return paramValues[i];
    }

    String pathParamAt(int i) {
        return paramValues[i];
    }

    @Override
    public Optional<String> query(String name) {
        if (query == null) {
            query = new QueryStringDecoder(uri).parameters();
        }
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public <T> T bodyAs(Class<T> type) {
        try {
            return json.read(body, type);
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(400, e.getMessage(), e);
        }
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public HttpRequest withHeader(String name, String value) {
        HttpHeaders h = new DefaultHttpHeaders().add(headers).set(name, value);
        return new NettyRequest(method, uri, path, protocol, h, body, paramNames, paramValues, json);
    }

    @Override
    public String toString() {
        return method + " " + uri + " " + protocol;
    }
}
