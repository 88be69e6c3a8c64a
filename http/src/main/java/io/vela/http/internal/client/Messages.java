package io.vela.http.internal.client;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.vela.http.client.HttpClientRequest;
import io.vela.http.client.HttpClientResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Converts between the client's request/response types and Netty's messages. */
final class Messages {
    private Messages() {
    }

    static FullHttpRequest toNetty(HttpClientRequest req) {
        URI u = req.uri();
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        if (u.getRawQuery() != null) {
            path += "?" + u.getRawQuery();
        }
        byte[] body = req.body();
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(req.method()), path,
                body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders h = r.headers();
        h.set(HttpHeaderNames.HOST, u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort());
        for (Map.Entry<String, String> e : req.headers()) {
            h.add(e.getKey(), e.getValue());
        }
        if (!req.contentType().isEmpty()) {
            h.set(HttpHeaderNames.CONTENT_TYPE, req.contentType());
        }
        if (body.length > 0 || "POST".equals(req.method()) || "PUT".equals(req.method())) {
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        return r;
    }

    static HttpClientResponse toResponse(FullHttpResponse m, URI uri) {
        Map<String, List<String>> headers = new HashMap<>();
        for (Map.Entry<String, String> e : m.headers()) {
            headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(e.getValue());
        }
        headers.replaceAll((k, v) -> List.copyOf(v));
        return new HttpClientResponse(m.status().code(), uri, headers, ByteBufUtil.getBytes(m.content()));
    }
}
