package io.vela.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The idle timeout ({@code http.idle-timeout-ms}): fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} (the
 * dispatcher closes the connection when no request is in flight) once nothing has been read, flushed or sent for
 * the timeout, and again every timeout after.
 *
 * <p>In place of Netty's {@code IdleStateHandler}, which adds a listener to every write's promise to time the
 * writes (a promise notification per answer, ADR 0014 decision 7). Here a read is timed at its
 * {@code channelReadComplete} when a message was read since the last one (on TLS, {@code SslHandler} completes
 * reads that decrypted nothing: a record trickled a byte at a time is not activity, as it was not for
 * {@code IdleStateHandler}) and a write at its flush (one {@code System.nanoTime()} each); a write still in the
 * outbound buffer counts as activity while it makes progress (its bytes drain), checked when the timer fires, so a
 * client that stops reading is idle one to two timeouts after its answer stopped draining (progress is seen when
 * the timer fires) while one that reads a long answer slowly is not. The
 * timer is one task per connection, rescheduled for what is left when it fires early. Only {@code channelRead}
 * (a flag), {@code channelReadComplete} and {@code flush} pass through this handler per request (Netty skips the
 * methods not overridden). One per connection; event loop only; allocates its timer task once per timeout period.
 */
final class IdleClose extends ChannelDuplexHandler {
    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long lastActive;
    /** A message was read since the last {@code channelReadComplete}. */
    private boolean readSeen;
    /**
     * The outbound buffer's state after the last flush or check: the progress of its current message and the bytes
     * pending (a message written out lowers the second; no reference to a message is kept, so that a large answer
     * already sent is not held).
     */
    private long pendingProgress;
    private long pendingBytes;

    /** @param timeout {@code http.idle-timeout-ms} */
    IdleClose(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        lastActive = System.nanoTime();
        if (context.channel().isActive()) { // an accepted connection; else at channelActive
            arm(timeoutNanos);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (timer == null) {
            arm(timeoutNanos);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b) || b.isReadable()) { // an empty buffer from the TLS layer is not a read
            readSeen = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (readSeen) { // a TLS layer before this handler completes reads that decrypted nothing: not activity
            readSeen = false;
            lastActive = System.nanoTime();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        lastActive = System.nanoTime();
        ctx.flush();
        snapshot(ctx.channel().unsafe().outboundBuffer());
    }

    private void arm(long delayNanos) {
        timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (!ctx.channel().isOpen()) {
            return;
        }
        long left = lastActive + timeoutNanos - System.nanoTime();
        if (left > 0) {
            arm(left);
            return;
        }
        if (outputProgressed()) {
            lastActive = System.nanoTime();
            arm(timeoutNanos);
            return;
        }
        arm(timeoutNanos);
        ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    /**
     * @return whether bytes are waiting to be sent and some were sent since the last flush or check: the current
     *         message moved on, or fewer bytes are pending. More bytes pending is not progress: a handler before
     *         this one writes without passing its flush here (a TLS layer answering a client's key update behind a
     *         stuck answer), and a client that never reads would else be kept open by what it asks the server to
     *         write
     */
    private boolean outputProgressed() {
        ChannelOutboundBuffer buf = ctx.channel().unsafe().outboundBuffer();
        if (buf == null || buf.totalPendingWriteBytes() == 0) {
            return false;
        }
        boolean moved = buf.currentProgress() != pendingProgress || buf.totalPendingWriteBytes() < pendingBytes;
        snapshot(buf);
        return moved;
    }

    private void snapshot(ChannelOutboundBuffer buf) {
        if (buf == null) {
            return;
        }
        pendingProgress = buf.currentProgress();
        pendingBytes = buf.totalPendingWriteBytes();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }
}
