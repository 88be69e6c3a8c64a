package io.vela.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Slow clients: a request must arrive whole within {@code http.request-read-timeout-ms} of its first byte, else
 * the connection is answered 408 and closed (slowloris). Sits before the HTTP codec; armed by the first bytes of a
 * request, disarmed by the dispatcher when the whole request has been decoded. Event loop only.
 */
final class ReadDeadline extends ChannelInboundHandlerAdapter {
    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\n"
            + "connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private final long timeoutMs;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;

    ReadDeadline(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (timer == null && msg instanceof ByteBuf b && b.isReadable()) {
            timer = ctx.executor().schedule(this::expired, timeoutMs, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** A whole request was decoded: the next bytes start a new deadline. */
    void requestRead() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expired() {
        timer = null;
        if (ctx.channel().isActive()) {
            // raw bytes straight to the socket: the codec may be mid-request
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        requestRead();
        ctx.fireChannelInactive();
    }
}
