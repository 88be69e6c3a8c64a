package io.vela.http.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.vela.engine.OfferResult;
import io.vela.http.HttpResponse;
import io.vela.http.HttpStatusException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last inbound handler of a connection: routes each whole request, hands it to the ring executor (or runs it
 * here for a non-blocking route), and writes the responses back in request order. One instance per connection;
 * every method but {@link #answer} runs on the connection's event loop. Allocates per request: the request copy,
 * the {@link Exchange}, and the response messages.
 */
final class HttpDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatcher.class);
    private final NettyHttpServer server;
    private final ServerConfig config;
    /** Requests of this connection not yet answered, in arrival order (pipelining). Event loop only. */
    private final ArrayDeque<Exchange> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** No further request is read: the last one asked to close, or the server is draining. */
    private boolean closing;
    private boolean inactive;

    HttpDispatcher(NettyHttpServer server) {
        this.server = server;
        this.config = server.config();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Rejection r) {
            reject(r);
            return;
        }
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            ReadDeadline deadline = ctx.pipeline().get(ReadDeadline.class);
            if (deadline != null) {
                deadline.requestRead();
            }
            if (closing) {
                return; // after a Connection: close request nothing more is read
            }
            accept(req);
        } finally {
            ReferenceCountUtil.release(req);
        }
    }

    private void accept(FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req) && !server.draining();
        String method = req.method().name();
        String uri = req.uri();
        QueryStringDecoder qs = new QueryStringDecoder(uri);
        String rawPath = qs.rawPath();
        String path;
        Router.Match match;
        try {
            path = qs.path();
            match = rawPath.startsWith("/") ? config.router().match(rawPath) : null;
        } catch (IllegalArgumentException malformed) { // bad percent-encoding: answer 400 in order, then close
            answerLastAndClose(new NettyRequest(method, uri, rawPath, req.protocolVersion().text(), req.headers(),
                    new byte[0], List.of(), new String[0], config.json()), method.equals("HEAD"),
                    HttpResponse.text(400, "malformed path\n"));
            return;
        }
        Route route = match == null ? null : match.methods.get(method);
        boolean head = false;
        if (route == null && match != null && method.equals("HEAD")) {
            route = match.methods.get("GET");
            head = route != null;
        }
        if (route == null) {
            server.stats0().unrouted.increment();
            route = config.router().fallback();
        }
        NettyRequest request = new NettyRequest(method, uri, path, req.protocolVersion().text(), req.headers(),
                ByteBufUtil.getBytes(req.content()), route.paramNames,
                match == null ? new String[0] : match.values, config.json());
        Exchange ex = new Exchange(this, request, route, keepAlive, head || method.equals("HEAD"));
        pending.add(ex);
        if (!keepAlive) {
            stopReading();
        } else if (pending.size() >= config.maxPipelined() || !ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
        if (server.draining()) {
            finish(ex, HttpResponse.text(503, "shutting down\n"));
        } else {
            dispatch(ex);
        }
    }

    /** A request the guard refused: answered after the ones before it, then the connection closes. */
    private void reject(Rejection r) {
        if (closing) {
            return; // the connection closes after the answers before it: nothing more is answered
        }
        ReadDeadline deadline = ctx.pipeline().get(ReadDeadline.class);
        if (deadline != null) {
            deadline.requestRead();
        }
        answerLastAndClose(new NettyRequest("", "", "", HttpVersion.HTTP_1_1.text(), EmptyHttpHeaders.INSTANCE,
                new byte[0], List.of(), new String[0], config.json()), false,
                HttpResponse.text(r.status(), r.text() + "\n"));
    }

    /** Answers a request no handler sees after the ones before it; nothing more is read, then the close. */
    private void answerLastAndClose(NettyRequest request, boolean head, HttpResponse response) {
        stopReading();
        Exchange ex = new Exchange(this, request, config.router().fallback(), false, head);
        pending.add(ex);
        finish(ex, response);
    }

    private void dispatch(Exchange ex) {
        Route route = ex.route;
        route.stats.started();
        server.inFlight(1);
        ex.counted = true;
        if (route.options.isNonBlocking()) {
            ex.run();
            return;
        }
        OfferResult r;
        if (route.keyParamIndex >= 0) {
            r = server.executor().tryExecuteKeyed(ex.request.pathParamAt(route.keyParamIndex).hashCode(), ex);
        } else if (route.options.keyHeader().isPresent()) {
            String key = ex.request.header(route.options.keyHeader().get()).orElse(null);
            r = key == null ? server.executor().tryExecute(ex) : server.executor().tryExecuteKeyed(key.hashCode(), ex);
        } else {
            r = server.executor().tryExecute(ex);
        }
        if (!r.accepted()) {
            server.stats0().rejected.increment();
            HttpResponse busy = HttpResponse.text(503, r == OfferResult.FULL ? "busy\n" : "shutting down\n");
            finish(ex, r == OfferResult.FULL
                    ? busy.withHeader("retry-after", Integer.toString(config.retryAfterSeconds())) : busy);
        }
    }

    /** Called by whichever thread completed the handler's future; moves to the event loop. */
    void answer(Exchange ex, HttpResponse response, Throwable error) {
        HttpResponse r;
        try {
            r = response != null ? response.encoded(config.json()) : failure(ex, error);
        } catch (RuntimeException e) {
            r = failure(ex, e);
        }
        if (ctx.executor().inEventLoop()) {
            finish(ex, r);
            return;
        }
        try {
            HttpResponse answer = r;
            ctx.executor().execute(() -> finish(ex, answer));
        } catch (java.util.concurrent.RejectedExecutionException stopped) { // cut by a shutdown: no one to answer
            ex.route.stats.finished(r.status(), System.nanoTime() - ex.startNanos);
            server.inFlight(-1);
        }
    }

    private static HttpResponse failure(Exchange ex, Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof HttpStatusException s) {
            return HttpResponse.text(s.status(), s.getMessage() + "\n");
        }
        if (e == null) {
            e = new IllegalStateException("handler returned a null response");
        }
        LOG.warn("Handler of {} failed", ex.request, e);
        return HttpResponse.text(500, "internal server error\n");
    }

    /** Event loop: records the response and writes every answered request at the head of the queue, in order. */
    private void finish(Exchange ex, HttpResponse r) {
        ex.response = r;
        if (ex.counted) {
            ex.route.stats.finished(r.status(), System.nanoTime() - ex.startNanos);
            server.inFlight(-1);
        }
        while (!pending.isEmpty() && pending.peekFirst().response != null) {
            write(pending.pollFirst());
        }
        resumeReading();
    }

    /**
     * Reads again once fewer than {@code http.max-pipelined} requests wait and the connection's writes are not
     * backed up: a client that pipelines and does not read its answers is not read from either, so its answers
     * never pile up without bound.
     */
    private void resumeReading() {
        if (!closing && pending.size() < config.maxPipelined() && ctx.channel().isWritable()
                && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        resumeReading();
        ctx.fireChannelWritabilityChanged();
    }

    private void write(Exchange ex) {
        if (inactive) {
            return;
        }
        HttpVersion version = HttpVersion.valueOf(ex.request.protocol());
        boolean keepAlive = ex.keepAlive && !server.draining() && !(closing && pending.isEmpty())
                && !ResponseWriter.closesAfter(ex.response, version);
        var f = ResponseWriter.write(ctx, ex.response, config.json(), version, keepAlive, ex.head);
        if (!keepAlive) {
            closing = true;
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void stopReading() {
        closing = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Server shutdown, on the event loop: close now if idle, else after the in-flight responses. */
    void drain() {
        stopReading();
        if (pending.isEmpty()) {
            ctx.close();
        }
    }

    /** @return requests of this connection not yet answered (event loop) */
    int pendingCount() {
        return pending.size();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && pending.isEmpty()) {
            ctx.close(); // idle keep-alive connection; one waiting for its handler stays
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Connection {} failed; closing", ctx.channel(), cause);
        ctx.close();
    }
}
