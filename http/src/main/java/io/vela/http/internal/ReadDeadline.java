package io.vela.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Slow clients: a request must arrive whole within {@code http.request-read-timeout-ms} of its first byte, else
 * it is answered 408 and the connection closed (slowloris). Sits before the HTTP codec; a request's first bytes
 * start its deadline, the dispatcher ends it when the whole request has been decoded.
 *
 * <p>Per request this costs a {@code System.nanoTime()} and two field writes: the timer is not rescheduled per
 * request. One task per connection is scheduled when a deadline starts and none is pending; when it fires it
 * either expires the request or re-arms itself for what is left of the current request's deadline, so a
 * keep-alive connection serving many quick requests schedules about one task per timeout period.
 *
 * <p>The 408 goes down the pipeline as a {@link Rejection}, so that the dispatcher answers it after the responses
 * to the requests before it (pipelining order), then closes. Event loop only; allocates only its timer task.
 */
final class ReadDeadline extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    /** A request has started (bytes read) and not been decoded whole yet. */
    private boolean inRequest;
    private long startedNanos;
    private boolean expired;

    ReadDeadline(long timeoutMs) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!inRequest && msg instanceof ByteBuf b && b.isReadable()) {
            inRequest = true;
            startedNanos = System.nanoTime();
            if (timer == null) {
                timer = ctx.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** A whole request was decoded: the next bytes start a new deadline. */
    void requestRead() {
        inRequest = false;
    }

    private void check() {
        timer = null;
        if (!inRequest || expired || !ctx.channel().isActive()) {
            return; // idle between requests: the next request's first bytes arm a new timer
        }
        long left = startedNanos + timeoutNanos - System.nanoTime();
        if (left > 0) {
            timer = ctx.executor().schedule(this::check, left, TimeUnit.NANOSECONDS);
            return;
        }
        expired = true;
        HttpResponseStatus timeout = HttpResponseStatus.REQUEST_TIMEOUT;
        ctx.channel().config().setAutoRead(false);
        // through the codec (which passes it on untouched) to the dispatcher, which answers in order
        ctx.fireChannelRead(new Rejection(timeout.code(), timeout.reasonPhrase()));
        ctx.fireChannelReadComplete(); // the dispatcher flushes at the end of a read
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inRequest = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }
}
