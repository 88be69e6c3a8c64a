package io.vela.http.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.vela.http.HttpResponse;
import io.vela.http.JsonCodec;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns an {@link HttpResponse} into Netty messages and writes them without flushing (the dispatcher flushes once
 * per read, or once per batch of ring-worker completions); event loop only. Allocates the Netty response, its
 * header map and a buffer wrapping the body (no copy); a connection's first streamed answer also adds a
 * {@link ChunkedWriteHandler} to its pipeline (full answers do not pass through one).
 */
final class ResponseWriter {
    /** The name of the {@link ChunkedWriteHandler} a connection gets at its first streamed answer. */
    static final String CHUNKED = "chunked";

    private ResponseWriter() {
    }

    /**
     * @return the future of the last write (close the channel on it when not keeping alive)
     */
    static ChannelFuture write(ChannelHandlerContext ctx, HttpResponse r, JsonCodec json, HttpVersion version,
                               boolean keepAlive, boolean head) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(r.status());
        if (r.chunks().isPresent()) {
            return writeChunked(ctx, r, status, version, keepAlive, head);
        }
        byte[] body = r.body(json);
        FullHttpResponse res = new DefaultFullHttpResponse(version, status,
                head || body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body),
                HeaderNames.FACTORY, HeaderNames.FACTORY);
        copyHeaders(r, res.headers());
        if (mayHaveBody(r.status())) {
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        connectionHeader(res.headers(), version, keepAlive);
        return ctx.write(res);
    }

    private static ChannelFuture writeChunked(ChannelHandlerContext ctx, HttpResponse r, HttpResponseStatus status,
                                              HttpVersion version, boolean keepAlive, boolean head) {
        DefaultHttpResponse res = new DefaultHttpResponse(version, status, HeaderNames.FACTORY);
        copyHeaders(r, res.headers());
        boolean http10 = version.equals(HttpVersion.HTTP_1_0);
        if (!http10) {
            res.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        // HTTP/1.0 has no chunked coding: the body ends when the connection closes
        connectionHeader(res.headers(), version, keepAlive && !http10);
        ctx.write(res);
        if (head) {
            return ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        Iterator<byte[]> chunks = r.chunks().orElseThrow();
        if (ctx.pipeline().get(CHUNKED) == null) {
            // the connection's first streamed answer: full answers never pass through it (ADR 0014, decision 7)
            ctx.pipeline().addBefore(ctx.name(), CHUNKED, new ChunkedWriteHandler());
        }
        return ctx.write(new HttpChunkedInput(new IteratorChunkedInput(chunks)));
    }

    static boolean closesAfter(HttpResponse r, HttpVersion version) {
        return r.chunks().isPresent() && version.equals(HttpVersion.HTTP_1_0);
    }

    private static boolean mayHaveBody(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    private static void copyHeaders(HttpResponse r, HttpHeaders h) {
        List<Map.Entry<String, String>> headers = r.headers();
        for (int i = 0; i < headers.size(); i++) { // random access: no iterator
            Map.Entry<String, String> e = headers.get(i);
            h.add(HeaderNames.checked(e.getKey()), e.getValue());
        }
    }

    private static void connectionHeader(HttpHeaders h, HttpVersion version, boolean keepAlive) {
        if (!keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version.equals(HttpVersion.HTTP_1_0)) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }
}
