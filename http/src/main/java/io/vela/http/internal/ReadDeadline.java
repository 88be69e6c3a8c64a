package io.vela.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;

/**
 * Slow clients: a request must arrive whole within {@code http.request-read-timeout-ms} of its first byte, else
 * it is answered 408 and the connection closed (slowloris). Sits before the HTTP codec; a request's first bytes
 * start its deadline, the dispatcher ends it when the whole request has been decoded.
 *
 * <p>Per request this costs a {@code System.nanoTime()}, a few field writes and, when the request ends, a look at the
 * first byte left in the codec's buffer (two method-handle calls, no allocation): the timer is not rescheduled per
 * request. One task per connection is scheduled when a deadline starts and none is pending; when it fires it
 * either expires the request or re-arms itself for what is left of the current request's deadline, so a
 * keep-alive connection serving many quick requests schedules about one task per timeout period.
 *
 * <p>A request whose first bytes arrive in the same read as the end of the request before it is timed from that read:
 * when a request ends during a read, the HTTP codec is asked whether bytes other than CR/LF follow it in its buffer
 * (its decoder's {@code internalBuffer()}, a protected Netty method reached through a method handle; where that is
 * out of reach such a request is timed from the next read, or closed by the idle timeout).
 *
 * <p>The 408 goes down the pipeline as a {@link Rejection}, so that the dispatcher answers it after the responses
 * to the requests before it (pipelining order), then closes. Event loop only; allocates only its timer task.
 */
final class ReadDeadline extends ChannelInboundHandlerAdapter {
    /** {@code CombinedChannelDuplexHandler.inboundHandler()}, or null when Netty's internals are out of reach. */
    private static final MethodHandle DECODER;
    /** {@code ByteToMessageDecoder.internalBuffer()}, or null. */
    private static final MethodHandle BUFFERED;

    static {
        MethodHandle decoder = null;
        MethodHandle buffered = null;
        try {
            MethodHandles.Lookup here = MethodHandles.lookup();
            decoder = MethodHandles.privateLookupIn(CombinedChannelDuplexHandler.class, here).findVirtual(
                    CombinedChannelDuplexHandler.class, "inboundHandler", MethodType.methodType(
                            ChannelInboundHandler.class));
            buffered = MethodHandles.privateLookupIn(ByteToMessageDecoder.class, here).findVirtual(
                    ByteToMessageDecoder.class, "internalBuffer", MethodType.methodType(ByteBuf.class));
        } catch (ReflectiveOperationException | RuntimeException unreachable) {
            decoder = null;
            buffered = null;
            org.slf4j.LoggerFactory.getLogger(ReadDeadline.class).warn("Netty's codec buffer is out of reach ({}): "
                    + "a request starting in the read that ends the one before it is timed from the next read",
                    unreachable.toString());
        }
        DECODER = decoder;
        BUFFERED = buffered;
    }

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    /** A request has started (bytes read) and not been decoded whole yet. */
    private boolean inRequest;
    private long startedNanos;
    private boolean expired;
    /** Inside {@link #channelRead} (the codec is decoding what was read). */
    private boolean reading;
    private ByteToMessageDecoder codec;

    ReadDeadline(long timeoutMs) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b && b.isReadable())) {
            ctx.fireChannelRead(msg);
            return;
        }
        start();
        reading = true;
        try {
            ctx.fireChannelRead(msg);
        } finally {
            reading = false;
        }
    }

    private void start() {
        if (inRequest || expired) {
            return;
        }
        inRequest = true;
        startedNanos = System.nanoTime();
        if (timer == null) {
            timer = ctx.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A whole request was decoded: the next bytes start a new deadline, and so do the bytes of the next request
     * that came in the same read (still in the codec's buffer: the codec decodes one request at a time).
     */
    void requestRead() {
        inRequest = false;
        if (reading && codecHoldsARequestStart()) {
            start();
        }
    }

    /** Nothing more is read as a request on this connection (closing): no 408 any more. */
    void noMoreRequests() {
        inRequest = false;
        expired = true;
    }

    /**
     * @return whether the HTTP codec holds bytes not yet decoded other than CR/LF (which it skips between
     *         requests); false when that cannot be known
     */
    private boolean codecHoldsARequestStart() {
        ByteBuf buffered;
        try {
            if (codec == null) {
                HttpServerCodec c = ctx.pipeline().get(HttpServerCodec.class);
                if (DECODER == null || c == null) {
                    return false;
                }
                codec = (ByteToMessageDecoder) (ChannelInboundHandler) DECODER.invoke(c);
            }
            buffered = (ByteBuf) BUFFERED.invoke(codec);
        } catch (Throwable unreachable) {
            return false;
        }
        for (int i = buffered.readerIndex(); i < buffered.writerIndex(); i++) {
            byte b = buffered.getByte(i);
            if (b != '\r' && b != '\n') {
                return true;
            }
        }
        return false;
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
