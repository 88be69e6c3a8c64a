package io.vela.bench.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The suite's built-in load generator: one Netty event loop (one thread; epoll where Netty's native transport loads,
 * otherwise NIO), {@code connections} keep-alive HTTP/1.1 connections, one request in flight per connection (no
 * pipelining).
 *
 * <ul>
 *   <li>{@link #saturate}: each connection sends its next request as soon as the answer arrives; the result is
 *       answered requests per second over the measured window.</li>
 *   <li>{@link #fixedRate}: requests are due at fixed intervals ({@code 1/rate}) and dealt round-robin to the
 *       connections; a due request waits (in its connection's queue) while the connection is busy, and its latency
 *       is measured from the time it was due, not from when it went out: no coordinated omission. The pacer is
 *       one task scheduled for the next due time (not a short fixed period): Netty's NIO loop spins in
 *       {@code selectNow} while its next scheduled task is under half a millisecond away, so a 200 µs period kept
 *       the generator's thread busy for the whole run and took one of the machine's two cores from the server.
 *       On epoll a sub-millisecond wait is a kernel timer (no spin: the generator's thread used 6–9% of a core at
 *       2,000 requests/s, against 41–72% for the NIO loop on a machine loaded enough to take the rest from it); on
 *       NIO, Netty's fallback where epoll does not load, a wait under half a millisecond still spins. The timer's
 *       own lateness (tens of µs) is part of every latency measured from the due time, for every subject alike;
 *       {@link #pacerLag()} reports it so that it is read beside the figures.</li>
 * </ul>
 *
 * Every answer must be a 200 with the expected body length, or the run fails. All state lives on the event loop.
 */
final class LoadGenerator implements AutoCloseable {
    /** Whether the generator runs on Netty's epoll transport (precise sub-millisecond timers, no spinning). */
    static final boolean EPOLL = Epoll.isAvailable();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    private final List<Conn> conns = new ArrayList<>();
    private final FullHttpRequest template;
    private final int expectedLength;
    /** Run state, event loop only. */
    private boolean paced;
    private long answered;
    private long errors;
    private Histogram histogram;
    private long recordFrom;
    private long recordUntil;
    /** Issue time minus due time of the requests due in the measured window (the pacer's own lateness). */
    private Histogram pacerLag = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    /** CPU time of the generator's thread over the last fixed-rate run, ns. */
    private long generatorCpuNs;

    LoadGenerator(int port, HttpCase c, int connections) throws InterruptedException {
        template = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(c.method), c.path,
                Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(c.body)));
        template.headers().set(HttpHeaderNames.HOST, "127.0.0.1:" + port);
        if (c.body.length > 0) {
            template.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            template.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, c.body.length);
        }
        expectedLength = c == HttpCase.JSON ? c.body.length : HttpCase.HELLO.length;
        Bootstrap b = new Bootstrap().group(group)
                .channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Conn conn = new Conn();
                        conns.add(conn);
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), conn);
                    }
                });
        for (int i = 0; i < connections; i++) {
            b.connect("127.0.0.1", port).sync();
        }
    }

    /**
     * @param warmMs    warm-up (not counted)
     * @param measureMs measured window
     * @return answered requests per second in the window
     */
    double saturate(long warmMs, long measureMs) throws Exception {
        onLoopRun(() -> {
            paced = false;
            conns.forEach(Conn::sendIfIdle);
        });
        Thread.sleep(warmMs);
        long a0 = onLoop(() -> answered);
        long t0 = System.nanoTime();
        Thread.sleep(measureMs);
        long a1 = onLoop(() -> answered);
        long t1 = System.nanoTime();
        onLoopRun(() -> paced = true); // stop sending: busy connections finish their request and go idle
        drain();
        return (a1 - a0) / ((t1 - t0) / 1e9);
    }

    /**
     * @param rate      requests per second offered
     * @param warmMs    warm-up (not recorded)
     * @param measureMs measured window
     * @return latency from due time to answer, in ns, of the requests due in the measured window
     */
    Histogram fixedRate(double rate, long warmMs, long measureMs) throws Exception {
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(warmMs + measureMs);
        // every request due before the end is issued, however late the pacer runs on a busy machine (a request
        // never sent would be a sample lost, and its latency with it); the pacer says when it has issued the last
        CompletableFuture<Void> allIssued = new CompletableFuture<>();
        Pacer pacer = new Pacer(start, end, 1e9 / rate, allIssued);
        long cpu0 = onLoop(LoadGenerator::threadCpuNs);
        onLoopRun(() -> {
            paced = true;
            histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            pacerLag = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            recordFrom = start + TimeUnit.MILLISECONDS.toNanos(warmMs);
            recordUntil = end;
            pacer.run();
        });
        try {
            allIssued.get(warmMs + measureMs + 30_000, TimeUnit.MILLISECONDS);
        } finally {
            onLoopRun(pacer::stop);
        }
        long cpu1 = onLoop(LoadGenerator::threadCpuNs);
        generatorCpuNs = cpu1 - cpu0;
        drain();
        return onLoop(() -> histogram.copy());
    }

    /** @return the pacer's lateness (issue time minus due time, ns) in the last fixed-rate run's measured window */
    Histogram pacerLag() throws Exception {
        return onLoop(() -> pacerLag.copy());
    }

    /** @return CPU time of the generator's thread over the last fixed-rate run, ns (0 where not supported) */
    long generatorCpuNs() {
        return generatorCpuNs;
    }

    private static long threadCpuNs() {
        long t = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        return Math.max(0, t);
    }

    /** Issues the requests that are due, then schedules itself for the next due time. Event loop only. */
    private final class Pacer implements Runnable {
        private final long start;
        private final long end;
        private final double intervalNs;
        private final CompletableFuture<Void> allIssued;
        private long issued;
        private boolean stopped;
        private ScheduledFuture<?> next;

        Pacer(long start, long end, double intervalNs, CompletableFuture<Void> allIssued) {
            this.start = start;
            this.end = end;
            this.intervalNs = intervalNs;
            this.allIssued = allIssued;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            while (!stopped) {
                long due = start + (long) (issued * intervalNs);
                if (due >= end) {
                    allIssued.complete(null);
                    return;
                }
                if (due > now) {
                    next = group.next().schedule(this, due - now, TimeUnit.NANOSECONDS);
                    return;
                }
                if (due >= recordFrom) {
                    pacerLag.recordValue(Math.min(now - due, pacerLag.getHighestTrackableValue()));
                }
                Conn c = conns.get((int) (issued % conns.size()));
                c.due.add(due);
                c.sendIfIdle();
                issued++;
            }
        }

        void stop() {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }

    /** Waits up to 10 s for every outstanding request; fails the run if some stay unanswered or failed. */
    private void drain() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (onLoop(() -> conns.stream().anyMatch(c -> c.busy || !c.due.isEmpty()))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("requests still unanswered 10 s after the run");
            }
            Thread.sleep(10);
        }
        long e = onLoop(() -> errors);
        if (e > 0) {
            throw new IllegalStateException(e + " answers were not 200 with the expected body");
        }
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return group.next().submit(task).get(30, TimeUnit.SECONDS);
    }

    private void onLoopRun(Runnable task) throws Exception {
        group.next().submit(task).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One connection: its queue of due times (paced mode) and whether a request is out. */
    private final class Conn extends SimpleChannelInboundHandler<FullHttpResponse> {
        final ArrayDeque<Long> due = new ArrayDeque<>();
        boolean busy;
        long sentDue;
        Channel channel;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channel = ctx.channel();
            super.channelActive(ctx);
        }

        void sendIfIdle() {
            if (busy || channel == null) {
                return;
            }
            if (paced) {
                Long d = due.poll();
                if (d == null) {
                    return;
                }
                sentDue = d;
            }
            busy = true;
            channel.writeAndFlush(template.retainedDuplicate());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
            long now = System.nanoTime();
            busy = false;
            answered++;
            if (r.status().code() != 200 || r.content().readableBytes() != expectedLength) {
                errors++;
            }
            if (paced && sentDue >= recordFrom && sentDue < recordUntil && histogram != null) {
                histogram.recordValue(Math.min(now - sentDue, histogram.getHighestTrackableValue()));
            }
            sendIfIdle();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors++;
            ctx.close();
        }
    }

}
