package io.vela.http.internal.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.pool.ChannelPool;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.vela.http.client.HttpClientException;
import io.vela.http.client.HttpClientRequest;
import java.util.Set;

/**
 * The last handler of a pooled connection: holds the exchange in progress (one at a time, no pipelining), turns
 * the aggregated response into a result, and gives the connection back to its pool exactly once per acquire —
 * open if the response allows keep-alive, closed otherwise or on any failure. Closes the connection when it has
 * been idle in the pool for the idle timeout. An idempotent request whose reused (kept-alive) connection closes
 * before the answer is sent once more on another connection. Runs only on the connection's event loop.
 */
final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

    private final ClientEngine engine;
    private Exchange current;
    private HttpClientRequest request;
    private ChannelPool pool;
    private ChannelHandlerContext ctx;
    /** Exchanges answered on this connection; more than 0 at {@link #begin}: the connection is a reused one. */
    private int served;
    private boolean reused;

    ResponseHandler(ClientEngine engine) {
        super(FullHttpResponse.class, true);
        this.engine = engine;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /** Starts a hop on this (just acquired) connection. Event loop only. */
    void begin(Exchange ex, HttpClientRequest req, ChannelPool from) {
        this.pool = from;
        ex.channel = ctx.channel();
        if (ex.result.isDone()) {
            ex.channel = null;
            releaseOnce();
            return;
        }
        this.current = ex;
        this.request = req;
        this.reused = served > 0;
        if (!ctx.channel().isActive()) { // closed between the pool's health check and now: nothing was sent
            lost(ex, req, false);
            return;
        }
        ctx.writeAndFlush(Messages.toNetty(req)).addListener(f -> {
            if (!f.isSuccess() && current == ex) {
                ctx.close();
                if (current == ex) { // unless channelInactive already handled it
                    lost(ex, req, true);
                }
            }
        });
    }

    /**
     * The connection of {@code ex} is gone before its answer. A request that never went out is sent again on
     * another connection; one that went out on a reused (kept-alive) connection is sent again if idempotent (the
     * server may have closed the connection as we reused it); each at most once. Anything else fails with
     * {@code CONNECTION_CLOSED}: it may have been processed.
     */
    private void lost(Exchange ex, HttpClientRequest req, boolean sent) {
        end(ex);
        releaseOnce();
        if (!ex.retried && (!sent || (reused && IDEMPOTENT.contains(req.method())))) {
            ex.retried = true;
            engine.retry(ex, req);
        } else {
            ex.fail(new HttpClientException(HttpClientException.Reason.CONNECTION_CLOSED,
                    req + ": the connection closed before the whole response", null));
        }
    }

    /** Abandons {@code ex} if it is still the exchange in progress here: the connection is closed. Event loop only. */
    void abort(Exchange ex) {
        if (current == ex) {
            end(ex);
            ctx.close();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpResponse msg) {
        Exchange ex = current;
        if (ex == null) {
            context.close(); // an answer nobody asked for: the stream cannot be trusted
            return;
        }
        HttpClientRequest req = request;
        end(ex);
        served++;
        if (msg.decoderResult().isFailure()) {
            context.close();
            releaseOnce();
            ex.fail(Failures.io(msg.decoderResult().cause(), req.uri()));
            return;
        }
        var response = Messages.toResponse(msg, req.uri());
        if (!HttpUtil.isKeepAlive(msg)) {
            context.close();
        }
        releaseOnce();
        engine.onResponse(ex, req, response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        Exchange ex = current;
        context.close();
        if (ex != null && (!(cause instanceof java.io.IOException) || Failures.isTls(cause))) {
            // a plain I/O error: channelInactive decides (it may send an idempotent request again)
            end(ex);
            ex.fail(Failures.io(cause, request.uri()));
        }
        releaseOnce();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        Exchange ex = current;
        if (ex != null) {
            lost(ex, request, true);
        }
        releaseOnce();
        super.channelInactive(context);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && current == null) {
            context.close();
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent hs && !hs.isSuccess() && current != null) {
            Exchange ex = current;
            end(ex);
            context.close();
            ex.fail(Failures.tls(hs.cause(), request.uri()));
            return;
        }
        super.userEventTriggered(context, evt);
    }

    private void end(Exchange ex) {
        current = null;
        ex.channel = null;
    }

    private void releaseOnce() {
        ChannelPool p = pool;
        if (p != null) {
            pool = null;
            p.release(ctx.channel());
        }
    }
}
