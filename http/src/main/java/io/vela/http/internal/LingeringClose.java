package io.vela.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after its last answer without resetting that answer away. Closing a TCP socket whose
 * receive buffer still holds bytes (a client still sending: a pipelined request, the rest of a refused body) makes
 * the kernel send a reset, which discards what the client has not read yet, the answer included. So: shut the
 * output down (a FIN after the answer), then read and discard what still arrives until the client closes, more than
 * {@value #MAX_DISCARD} bytes arrive, or the linger time passes; then close. TLS connections close at once (their
 * close goes through the TLS layer). Event loop only; allocates a handler and a timer task per close.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
    /** Bytes discarded at most before the close (a client flooding past this is reset). */
    static final long MAX_DISCARD = 1 << 20;
    /** Its name in the pipeline. */
    static final String NAME = "linger";
    private final long lingerMs;
    private long discarded;
    private ScheduledFuture<?> timer;

    private LingeringClose(long lingerMs) {
        this.lingerMs = lingerMs;
    }

    /**
     * @param lingerMs how long to wait for the client to close, at most
     * @return a listener that closes the channel of the write it listens to, lingering as described
     */
    static ChannelFutureListener after(long lingerMs) {
        return f -> close(f, lingerMs);
    }

    private static void close(ChannelFuture written, long lingerMs) {
        Channel ch = written.channel();
        if (!written.isSuccess() || !ch.isActive() || !(ch instanceof DuplexChannel duplex)
                || ch.pipeline().get(SslHandler.class) != null || duplex.isOutputShutdown()
                || duplex.isInputShutdown()) { // the client half-closed: nothing left to drain
            ch.close();
            return;
        }
        duplex.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess() || !ch.isActive()) {
                ch.close();
                return;
            }
            ch.pipeline().addFirst(NAME, new LingeringClose(lingerMs));
            ch.config().setAutoRead(true);
            ch.read();
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> ctx.close(), lingerMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.cancel(false); // else the timer holds the closed channel until the linger time is up
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            discarded += b.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (discarded > MAX_DISCARD) {
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // swallowed: nothing behind this handler reads any more
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close(); // the client closed its side: nothing more to wait for
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
