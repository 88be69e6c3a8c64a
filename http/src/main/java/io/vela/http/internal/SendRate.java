package io.vela.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.FileRegion;
import java.util.concurrent.TimeUnit;

/**
 * The minimum drain rate of one connection's answers ({@code http.min-send-rate}, judged over
 * {@code http.send-rate-window-ms}; ADR 0014, decision 8): a slow-read defence. A window starts when bytes are found
 * waiting in the connection's outbound buffer after a flush (or at a timer check) and none is running; when it ends
 * with bytes still waiting, the connection must have sent at least {@code rate x window} bytes during it, else it is
 * too slow; if it did, the next window starts. Bytes sent beyond a window's minimum carry over to the next windows,
 * up to {@value #CARRIED_WINDOWS} windows' minimum: the kernel lets the process write again only once a third of the
 * socket's send buffer is free, so an honest client's bytes leave the process in bursts, windows apart. A window ends
 * early, unjudged, at the first look that finds nothing waiting (the client has read everything it was sent; the
 * look before a flush included, so that the flush's answer gets a window of its own), and the carry-over with it: a
 * client is judged only while it holds the server's buffers.
 *
 * <p>What was sent is counted from the bytes still waiting in the flushed messages (their readable bytes: a partial
 * write advances a buffer's reader index), looked at before and after each flush that passes {@link IdleClose} and at
 * each timer check: a fall between two looks was sent; the messages a flush adds are looked at only after it. So a
 * client is never credited with bytes it did not take; it may be credited with fewer (bytes the socket takes during
 * a flush that also adds messages while older ones wait, and records the TLS layer writes on its own behind a stuck
 * answer, which look like bytes added). The look walks the flushed messages; it is skipped when nothing waited at the
 * last look before a flush, and after it when the outbound buffer is empty, which is every flush of a connection
 * whose answers the socket takes at once.
 *
 * <p>One per connection, owned by its {@link IdleClose}; event loop only; allocates nothing.
 */
final class SendRate implements ChannelOutboundBuffer.MessageProcessor {
    /** Windows' worth of minimum that bytes sent beyond it may pay for later windows. */
    static final int CARRIED_WINDOWS = 3;
    private final long minBytesPerWindow;
    /** Bytes sent beyond the minimum in the windows judged so far (since bytes started waiting), capped. */
    private long carried;
    private final long windowNanos;
    /** Bytes of flushed messages not sent yet, at the last look. */
    private long waiting;
    /** Bytes sent since the running window started. */
    private long sent;
    private boolean running;
    private long windowStart;
    /** Scratch for {@link #processMessage}. */
    private long sum;

    /**
     * @param minBytesPerSecond {@code http.min-send-rate}, more than 0
     * @param windowMs          {@code http.send-rate-window-ms}, more than 0
     */
    SendRate(long minBytesPerSecond, long windowMs) {
        this.minBytesPerWindow = Math.max(1, minBytesPerSecond * windowMs / 1000);
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMs);
    }

    /**
     * Before a flush: counts what was sent since the last look, before the flush adds messages behind it.
     *
     * @param buf the channel's outbound buffer, or null once closed
     */
    void beforeFlush(ChannelOutboundBuffer buf) {
        if (waiting > 0) {
            look(waitingBytes(buf));
        }
    }

    /**
     * After a flush: notes what waits; starts a window if bytes wait and none runs, ends it if nothing waits.
     *
     * @param buf the channel's outbound buffer, or null once closed
     * @param now {@code System.nanoTime()}
     * @return whether a window started (it ends at {@link #windowEnd()})
     */
    boolean afterFlush(ChannelOutboundBuffer buf, long now) {
        return afterFlush(waitingBytes(buf), now);
    }

    /**
     * At a timer check: counts what was sent, and judges the running window if it has ended.
     *
     * @param buf the channel's outbound buffer, or null once closed
     * @param now {@code System.nanoTime()}
     * @return whether the connection is too slow: a window ended with bytes still waiting and fewer than the minimum
     *         sent during it, with what was carried over from earlier windows
     */
    boolean tooSlow(ChannelOutboundBuffer buf, long now) {
        return tooSlow(waitingBytes(buf), now);
    }

    /**
     * A look between flushes (what {@link #beforeFlush} does with the buffer's count).
     *
     * @param waitingNow bytes of flushed messages not sent yet
     */
    void look(long waitingNow) {
        if (waitingNow < waiting) {
            sent += waiting - waitingNow;
        }
        waiting = waitingNow;
        if (waitingNow == 0) {
            // the client took everything: the window ends here, unjudged, also at the look before a flush, so that
            // the flush's answer waits in a window of its own (on io_uring every flush leaves its write waiting
            // until the completion: a window must not run on from one answer to the next through them)
            running = false;
        }
    }

    /**
     * {@link #afterFlush(ChannelOutboundBuffer, long)} with the buffer's count.
     *
     * @param waitingNow bytes of flushed messages not sent yet, the flush's included
     * @param now        {@code System.nanoTime()}
     * @return whether a window started
     */
    boolean afterFlush(long waitingNow, long now) {
        waiting = waitingNow;
        return track(now);
    }

    /**
     * {@link #tooSlow(ChannelOutboundBuffer, long)} with the buffer's count.
     *
     * @param waitingNow bytes of flushed messages not sent yet
     * @param now        {@code System.nanoTime()}
     * @return whether the connection is too slow
     */
    boolean tooSlow(long waitingNow, long now) {
        look(waitingNow);
        if (!running || waiting == 0 || now - windowEnd() < 0) {
            track(now);
            return false;
        }
        long balance = carried + sent - minBytesPerWindow;
        if (balance < 0) {
            return true;
        }
        carried = Math.min(balance, CARRIED_WINDOWS * minBytesPerWindow);
        startWindow(now);
        return false;
    }

    /** @return whether a window runs (bytes wait to be sent) */
    boolean running() {
        return running;
    }

    /** @return when the running window started ({@code System.nanoTime()} scale) */
    long windowStart() {
        return windowStart;
    }

    /** @return when the running window ends ({@code System.nanoTime()} scale) */
    long windowEnd() {
        return windowStart + windowNanos;
    }

    /** @return bytes sent beyond the minimum in earlier windows, carried over */
    long carried() {
        return carried;
    }

    /** @return bytes sent in the running window so far */
    long sentInWindow() {
        return sent;
    }

    /** @return bytes waiting at the last look */
    long waiting() {
        return waiting;
    }

    private boolean track(long now) {
        if (waiting == 0) {
            running = false;
            return false;
        }
        if (running) {
            return false;
        }
        carried = 0;
        startWindow(now);
        return true;
    }

    private void startWindow(long now) {
        running = true;
        windowStart = now;
        sent = 0;
    }

    private long waitingBytes(ChannelOutboundBuffer buf) {
        if (buf == null || buf.totalPendingWriteBytes() == 0) {
            return 0;
        }
        sum = 0;
        try {
            buf.forEachFlushedMessage(this);
        } catch (Exception unreachable) { // processMessage throws nothing; the walk itself declares it
            return sum;
        }
        return sum;
    }

    /** Adds a flushed message's bytes not sent yet; called by the outbound buffer's walk. */
    @Override
    public boolean processMessage(Object msg) {
        if (msg instanceof ByteBuf b) {
            sum += b.readableBytes();
        } else if (msg instanceof ByteBufHolder h) {
            sum += h.content().readableBytes();
        } else if (msg instanceof FileRegion r) {
            sum += r.count() - r.transferred();
        }
        return true;
    }
}
