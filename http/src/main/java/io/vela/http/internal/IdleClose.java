package io.vela.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * methods not overridden). One per connection; event loop only; allocates its timer task once per timeout period,
 * and while bytes wait to be sent up to two more per send-rate window (the check at the window's end, and a
 * reschedule when a window starts while the timer is due later); none per request.
 *
 * <p>The same timer judges the connection's {@link SendRate} ({@code http.min-send-rate}, ADR 0014 decision 8): while
 * bytes wait to be sent it fires at least at the end of each send-rate window as well, and a connection that sent
 * fewer than the minimum over a window is closed at once, whatever is in flight: reset (the kernel drops what it
 * still buffers for the client) and closed from the head of the pipeline (a TLS close would queue its close_notify
 * behind the stuck answer), counted in the server's stats and logged at DEBUG. A flush looks at the outbound buffer
 * before and after it only while bytes wait there ({@link SendRate}); a connection whose answers the socket takes at
 * once costs one more read of the buffer's pending bytes per flush.
 */
final class IdleClose extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(IdleClose.class);
    private final long timeoutNanos;
    /** Null when {@code http.min-send-rate} is 0. */
    private final SendRate rate;
    private final LongAdder slowReaders;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    /** When {@link #timer} fires ({@code System.nanoTime()} scale). */
    private long timerDue;
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

    /**
     * @param timeout          {@code http.idle-timeout-ms}
     * @param minSendRate      {@code http.min-send-rate} in bytes per second; 0 = not checked
     * @param sendRateWindowMs {@code http.send-rate-window-ms}
     * @param slowReaders      counts the connections closed for draining too slowly (the server's)
     */
    IdleClose(Duration timeout, long minSendRate, long sendRateWindowMs, LongAdder slowReaders) {
        this.timeoutNanos = timeout.toNanos();
        this.rate = minSendRate > 0 ? new SendRate(minSendRate, sendRateWindowMs) : null;
        this.slowReaders = slowReaders;
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
        long now = System.nanoTime();
        lastActive = now;
        if (rate != null) {
            rate.beforeFlush(ctx.channel().unsafe().outboundBuffer());
        }
        ctx.flush();
        ChannelOutboundBuffer buf = ctx.channel().unsafe().outboundBuffer();
        snapshot(buf);
        if (rate != null && rate.afterFlush(buf, now) && timer != null && timerDue - rate.windowEnd() > 0) {
            // bytes wait: the timer must also fire when this send-rate window ends
            timer.cancel(false);
            timer = null;
            arm(rate.windowEnd() - now);
        }
    }

    private void arm(long delayNanos) {
        timerDue = System.nanoTime() + delayNanos;
        timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Arms the timer for {@code idleNanos}, or for the end of the running send-rate window if that is sooner. */
    private void armWithin(long idleNanos, long now) {
        long delay = idleNanos;
        if (rate != null && rate.running()) {
            delay = Math.min(delay, Math.max(0, rate.windowEnd() - now));
        }
        arm(delay);
    }

    private void check() {
        timer = null;
        if (!ctx.channel().isOpen()) {
            return;
        }
        long now = System.nanoTime();
        if (rate != null && rate.tooSlow(ctx.channel().unsafe().outboundBuffer(), now)) {
            closeSlowReader();
            return;
        }
        long left = lastActive + timeoutNanos - now;
        if (left > 0) {
            armWithin(left, now);
            return;
        }
        if (outputProgressed()) {
            lastActive = now;
            armWithin(timeoutNanos, now);
            return;
        }
        armWithin(timeoutNanos, now);
        ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    /**
     * Closes a connection whose answers drained slower than {@code http.min-send-rate}: with a reset (SO_LINGER 0, so
     * that the kernel does not go on holding and retrying what it buffered for a client that does not read), from the
     * head of the pipeline (past the TLS layer, whose close_notify would wait behind the stuck answer).
     */
    private void closeSlowReader() {
        slowReaders.increment();
        if (LOG.isDebugEnabled()) {
            LOG.debug("closing {}, a slow reader: its answers drained {} byte(s) in {} ms ({} carried over) with "
                    + "{} still waiting, fewer than http.min-send-rate asks for", ctx.channel(), rate.sentInWindow(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rate.windowStart()), rate.carried(),
                    rate.waiting());
        }
        try {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (ChannelException notSupported) {
            LOG.debug("SO_LINGER not set on {} ({}): closing without a reset", ctx.channel(), notSupported.toString());
        }
        ctx.pipeline().firstContext().close();
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
