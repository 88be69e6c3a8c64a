package io.vela.http.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
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
 * here for a non-blocking route), and writes the responses back in request order, together with the answers the
 * pipeline asks for on its own ({@link Rejection}s, {@link ContinueDue}). One instance per connection; every method
 * but {@link #answer} and {@link #abandoned} runs on the connection's event loop; {@link #answer} may be called from
 * any thread, {@link #abandoned} is called by the thread whose answer the stopped loop refused (it only counts).
 *
 * <p>The ring hop goes through the event loop's {@link LoopBatch}: unkeyed requests are offered to the ring with the
 * rest of the loop's pass, and ring-worker answers come back through one drain per loop and batch, whatever the
 * number of connections. Writes are flushed once per read (at {@code channelReadComplete}) or once per connection and
 * batch of ring-worker answers. Allocates per request: the request copy (and its body array when there is a body),
 * the {@link Exchange}, and the Netty response.
 */
final class HttpDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatcher.class);
    private static final byte[] NO_BYTES = new byte[0];
    private static final String[] NO_VALUES = new String[0];
    private final NettyHttpServer server;
    private final ServerConfig config;
    /** Requests of this connection not yet answered, in arrival order (pipelining). Event loop only. */
    private final ArrayDeque<Exchange> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ReadDeadline deadline;
    /** No further request is read: the last one asked to close, or the server is draining. */
    private boolean closing;
    private boolean inactive;
    /** Between a channelRead and its channelReadComplete: writes are flushed once, at the complete. */
    private boolean inRead;
    private boolean flushDue;
    /** A {@code 100 Continue} is due after this many more answers are written; -1 when none is due. */
    private int continueAfter = -1;
    /** This connection's event loop's ring hop, shared with the loop's other connections. */
    private LoopBatch batch;

    HttpDispatcher(NettyHttpServer server) {
        this.server = server;
        this.config = server.config();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.deadline = ctx.pipeline().get(ReadDeadline.class);
        this.batch = server.loopBatch(ctx.executor());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inRead = true;
        if (msg instanceof Rejection r) {
            reject(r);
            return;
        }
        if (msg == ContinueDue.INSTANCE) {
            continueDue();
            return;
        }
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
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

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        if (flushDue) {
            flushDue = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    private void accept(FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req) && !server.draining();
        String method = req.method().name();
        String uri = req.uri();
        String rawPath = rawPath(uri);
        HttpVersion version = req.protocolVersion();
        String path;
        Router.Match match;
        try {
            path = rawPath.indexOf('%') < 0 ? rawPath : new QueryStringDecoder(uri).path();
            match = rawPath.startsWith("/") ? config.router().match(rawPath) : null;
        } catch (IllegalArgumentException malformed) { // bad percent-encoding: answer 400 in order, then close
            answerLastAndClose(new NettyRequest(method, uri, rawPath, version.text(), req.headers(),
                    NO_BYTES, List.of(), NO_VALUES, config.json()), version, method.equals("HEAD"),
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
        byte[] body = req.content().isReadable() ? ByteBufUtil.getBytes(req.content()) : NO_BYTES;
        NettyRequest request = new NettyRequest(method, uri, path, version.text(), req.headers(), body,
                route.paramNames, match == null ? NO_VALUES : match.values, config.json());
        Exchange ex = new Exchange(this, request, version, route, keepAlive, head || method.equals("HEAD"));
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
        if (deadline != null) {
            deadline.requestRead();
        }
        continueAfter = -1; // a 100 due for the request refused now is never sent
        answerLastAndClose(new NettyRequest("", "", "", HttpVersion.HTTP_1_1.text(), EmptyHttpHeaders.INSTANCE,
                NO_BYTES, List.of(), NO_VALUES, config.json()), HttpVersion.HTTP_1_1, false,
                HttpResponse.text(r.status(), r.text() + "\n"));
    }

    /**
     * The aggregator decided that the request now arriving gets {@code 100 Continue}: sent at once when every
     * request before it is answered, else right after the last of those answers.
     */
    private void continueDue() {
        if (closing) {
            return;
        }
        continueAfter = pending.size();
        writeContinueIfDue();
    }

    private void writeContinueIfDue() {
        if (continueAfter == 0) {
            continueAfter = -1;
            // once closing, nothing more is read: a 100 would follow the last answer (inside an HTTP/1.0 body)
            if (!inactive && !closing) {
                ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                        Unpooled.EMPTY_BUFFER));
                flushSoon();
            }
        }
    }

    /** @return the path part of a request-target, still percent-encoded (up to the first '?' or '#') */
    private static String rawPath(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                return uri.substring(0, i);
            }
        }
        return uri;
    }

    /** Answers a request no handler sees after the ones before it; nothing more is read, then the close. */
    private void answerLastAndClose(NettyRequest request, HttpVersion version, boolean head, HttpResponse response) {
        stopReading();
        Exchange ex = new Exchange(this, request, version, config.router().fallback(), false, head);
        pending.add(ex);
        finish(ex, response);
    }

    private void dispatch(Exchange ex) {
        Route route = ex.route;
        route.stats.started(); // also the server's in-flight count (NettyHttpServer.inFlight)
        ex.counted = true;
        if (route.options.isNonBlocking()) {
            ex.run();
            return;
        }
        String key = null;
        if (route.keyParamIndex >= 0) {
            key = ex.request.pathParamAt(route.keyParamIndex);
        } else if (route.options.keyHeader().isPresent()) {
            key = ex.request.header(route.options.keyHeader().get()).orElse(null);
        }
        if (key == null) {
            batch.submit(ex); // offered with the loop's other requests of this pass, after it
            return;
        }
        OfferResult r = server.executor().tryExecuteKeyed(key.hashCode(), ex);
        if (!r.accepted()) {
            refused(ex, r);
        }
    }

    /**
     * Event loop: the ring refused {@code ex}: 503 in order, with {@code Retry-After} when it was full; when it is
     * closed nothing more is read and the connection closes after the last answer due (ADR 0009, decision 2).
     */
    void refused(Exchange ex, OfferResult r) {
        server.stats0().rejected.increment();
        if (r == OfferResult.CLOSED) {
            stopReading();
        }
        HttpResponse busy = HttpResponse.text(503, r == OfferResult.FULL ? "busy\n" : "shutting down\n");
        finish(ex, r == OfferResult.FULL
                ? busy.withHeader("retry-after", Integer.toString(config.retryAfterSeconds())) : busy);
    }

    /** Called by whichever thread completed the handler's future; moves to the event loop. */
    void answer(Exchange ex, HttpResponse response, Throwable error) {
        HttpResponse r;
        try {
            r = response != null ? response.encoded(config.json()) : failure(ex, error);
            if (r.status() < 200) { // a 1xx is interim: the client would wait for a final answer forever
                r = failure(ex, new IllegalStateException("handler answered with the informational status "
                        + r.status() + "; a final answer needs 200..999"));
            }
        } catch (RuntimeException e) {
            r = failure(ex, e);
        }
        if (ctx.executor().inEventLoop()) {
            finish(ex, r);
            return;
        }
        ex.completed = r; // published to the event loop by the batch's CAS
        batch.completed(ex);
    }

    /** Event loop, from {@link LoopBatch}: records a ring worker's answer (written by {@link #writeCompleted}). */
    void recordCompleted(Exchange ex) {
        if (ex.response == null) {
            record(ex, ex.completed);
        }
    }

    /** Event loop, from {@link LoopBatch}: writes what is in order and flushes once. */
    void writeCompleted() {
        writeReady();
    }

    /**
     * Any thread (the one whose hand-back the stopped loop refused): a ring worker's answer that no event loop will
     * write is counted as finished; only the thread-safe counters are touched.
     */
    void abandoned(Exchange ex) {
        ex.route.stats.finished(ex.completed.status(), System.nanoTime() - ex.startNanos);
    }

    /** Event loop: closes the connection at once (its stream cannot be trusted any more). */
    void closeNow() {
        ctx.close();
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
        record(ex, r);
        writeReady();
    }

    private void record(Exchange ex, HttpResponse r) {
        ex.response = r;
        if (ex.counted) {
            ex.route.stats.finished(r.status(), System.nanoTime() - ex.startNanos);
        }
    }

    private void writeReady() {
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peekFirst().response != null) {
            write(pending.pollFirst());
            wrote = true;
            if (continueAfter > 0) {
                continueAfter--;
                writeContinueIfDue();
            }
        }
        if (wrote) {
            flushSoon();
        }
        resumeReading();
    }

    /** Flushes now, or at the end of the read in progress (one flush for every answer a read produced). */
    private void flushSoon() {
        if (inRead) {
            flushDue = true;
        } else {
            ctx.flush();
        }
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
        HttpVersion version = ex.version;
        // closing or draining: the close goes on the last answer due (the requests behind it were already run)
        boolean last = (closing || server.draining()) && pending.isEmpty();
        boolean keepAlive = ex.keepAlive && !last && !ResponseWriter.closesAfter(ex.response, version);
        ChannelFuture f;
        try {
            f = ResponseWriter.write(ctx, ex.response, config.json(), version, keepAlive, ex.head);
        } catch (RuntimeException unencodable) { // refused while building the message: nothing was written
            answerUnencodable(ex, unencodable);
            keepAlive = ex.keepAlive && !last;
            f = ResponseWriter.write(ctx, ex.response, config.json(), version, keepAlive, ex.head);
        }
        if (keepAlive && ex.response.chunks().isPresent()) {
            f.addListener(w -> streamWritten(w, ex)); // only streamed answers: no listener per full answer
        }
        if (!keepAlive) {
            closing = true;
            ctx.channel().config().setAutoRead(false);
            if (deadline != null) {
                deadline.noMoreRequests(); // nothing more is read as a request: no 408 after the last answer
            }
            f.addListener(LingeringClose.after(config.requestReadTimeoutMs()));
        }
    }

    /**
     * The handler's answer cannot be encoded (Netty refuses a header name or value, e.g. one with CR/LF, which would
     * split the response): a 500 goes in its place, as for a handler that throws, and the connection goes on.
     */
    private void answerUnencodable(Exchange ex, RuntimeException e) {
        LOG.warn("Answer to {} cannot be encoded; answering 500", ex.request, e);
        HttpResponse failed = HttpResponse.text(500, "internal server error\n");
        if (ex.counted) {
            ex.route.stats.reclassified(ex.response.status(), failed.status());
        }
        ex.response = failed;
    }

    /**
     * A streamed answer that failed midway (its chunk iterator threw) cannot be finished: the connection closes, so
     * the client sees a truncated stream rather than the next answer appended to it. One cut because its connection
     * closed is logged at DEBUG only.
     */
    private static void streamWritten(io.netty.util.concurrent.Future<? super Void> written, Exchange ex) {
        if (written.isSuccess()) {
            return;
        }
        if (!ex.connection.ctx.channel().isActive()) {
            // closed under the stream (a slow reader cut, ADR 0014 decision 8, or a client's reset): nothing failed
            // on this side, and a WARN per connection would let clients flood the log
            LOG.debug("Streamed answer to {} cut: the connection closed", ex.request);
            return;
        }
        LOG.warn("Streamed answer to {} failed midway; closing the connection", ex.request, written.cause());
        ex.connection.ctx.close();
    }

    private void stopReading() {
        if (deadline != null) {
            deadline.noMoreRequests();
        }
        closing = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Server shutdown, on the event loop: close now if idle, else after the in-flight responses. */
    void drain() {
        stopReading();
        if (pending.isEmpty()) {
            closeAfterWritten();
        }
    }

    /**
     * Closes once what is already written has gone out: an answer may still sit in the outbound buffer of a slow
     * reader, and a plain close would discard it.
     */
    private void closeAfterWritten() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** @return requests of this connection not yet answered (event loop) */
    int pendingCount() {
        return pending.size();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown();
        } else if (evt instanceof IdleStateEvent && pending.isEmpty()) {
            ctx.close(); // idle keep-alive connection; one waiting for its handler stays
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /**
     * The client half-closed (it sends nothing more, but may still read): the requests read so far are answered,
     * in order, and the connection closes after the last answer; at once, after what is already written, when none
     * is due.
     */
    private void inputShutdown() {
        stopReading();
        continueAfter = -1;
        if (pending.isEmpty()) {
            closeAfterWritten();
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
