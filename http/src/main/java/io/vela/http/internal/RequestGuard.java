package io.vela.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * Request validation between the HTTP codec and the body aggregator: a request that cannot be trusted is answered
 * with a short error and the connection closed; nothing after it on that connection is read. Checks, in order:
 * decoding failures (414 line too long, 431 headers too large, 400 otherwise), the version (505 unless 1.0 or
 * 1.1), {@code Host} on HTTP/1.1 (400), {@code Content-Length} together with {@code Transfer-Encoding} (400,
 * smuggling), a transfer coding other than {@code chunked} (501), {@code chunked} twice (400), then the request-target and the {@code Host}
 * value ({@link RequestTarget}: 400, {@code CONNECT} 501; an absolute-form target is rewritten to origin-form).
 * Extend {@link #check(HttpRequest)} to add rules.
 * One instance per connection; event loop only.
 */
public class RequestGuard extends ChannelInboundHandlerAdapter {
    private boolean rejected;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            HttpResponseStatus status = decodeFailure(o);
            if (msg instanceof HttpRequest req && unsupportedCoding(req.headers())) {
                status = HttpResponseStatus.NOT_IMPLEMENTED; // Netty's decoder refuses it as malformed
            }
            reject(ctx, status, status.reasonPhrase());
            return;
        }
        if (msg instanceof HttpRequest req) {
            Optional<HttpResponseStatus> bad = check(req);
            if (bad.isPresent()) {
                ReferenceCountUtil.release(msg);
                reject(ctx, bad.get(), bad.get().reasonPhrase());
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * @param req a decoded request head
     * @return the status to refuse it with, or empty to let it through
     */
    protected Optional<HttpResponseStatus> check(HttpRequest req) {
        HttpVersion v = req.protocolVersion();
        if (v.majorVersion() != 1 || v.minorVersion() > 1) {
            return Optional.of(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED);
        }
        HttpHeaders h = req.headers();
        if (v.minorVersion() == 1 && !singleHost(h)) {
            return Optional.of(HttpResponseStatus.BAD_REQUEST);
        }
        boolean hasLength = h.contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean hasCoding = h.contains(HttpHeaderNames.TRANSFER_ENCODING);
        if (hasLength && hasCoding) {
            return Optional.of(HttpResponseStatus.BAD_REQUEST);
        }
        if (hasCoding && unsupportedCoding(h)) {
            return Optional.of(HttpResponseStatus.NOT_IMPLEMENTED);
        }
        if (hasCoding && !singleChunked(h)) {
            return Optional.of(HttpResponseStatus.BAD_REQUEST); // chunked applied twice (RFC 9112 section 6.1)
        }
        return RequestTarget.check(req);
    }

    /** @return whether exactly one {@code Host} field is present (RFC 9112 section 3.2), without a list */
    private static boolean singleHost(HttpHeaders h) {
        var values = h.valueStringIterator(HttpHeaderNames.HOST);
        if (!values.hasNext()) {
            return false;
        }
        values.next();
        return !values.hasNext();
    }

    /** @return whether a transfer coding other than chunked is named (RFC 9112 section 6.1: 501) */
    private static boolean unsupportedCoding(HttpHeaders h) {
        for (String field : h.getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
            for (String coding : field.split(",")) {
                if (!coding.trim().equalsIgnoreCase(HttpHeaderValues.CHUNKED.toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return whether exactly one coding, chunked, is named */
    private static boolean singleChunked(HttpHeaders h) {
        var codings = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        return codings.size() == 1 && codings.get(0).trim().equalsIgnoreCase(HttpHeaderValues.CHUNKED.toString());
    }

    private static HttpResponseStatus decodeFailure(HttpObject o) {
        DecoderResult r = o.decoderResult();
        if (r.cause() instanceof TooLongHttpLineException) {
            // the request line (414); a chunk-size line that long is a malformed body (400)
            return o instanceof HttpRequest ? HttpResponseStatus.REQUEST_URI_TOO_LONG : HttpResponseStatus.BAD_REQUEST;
        }
        if (r.cause() instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return HttpResponseStatus.BAD_REQUEST;
    }

    /**
     * Answers {@code status} and closes; nothing more is read from the connection. The answer goes down the
     * pipeline as a {@link Rejection}, so that it follows the responses to the requests before it.
     */
    protected void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        rejected = true;
        ctx.channel().config().setAutoRead(false);
        ctx.fireChannelRead(new Rejection(status.code(), text));
    }
}
