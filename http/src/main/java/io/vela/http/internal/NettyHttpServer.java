package io.vela.http.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.vela.engine.RingExecutor;
import io.vela.engine.ShutdownParticipant;
import io.vela.engine.ShutdownReport;
import io.vela.engine.Settings;
import io.vela.engine.VelaException;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import io.vela.http.HttpServer;
import io.vela.http.HttpServerStats;
import io.vela.http.HttpTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty server behind {@link HttpServer}: one event-loop group (accepting and serving), the per-connection
 * pipeline, and the graceful shutdown the runtime's {@code close()} calls. Public methods may be called from any
 * thread.
 */
public final class NettyHttpServer implements HttpServer, ShutdownParticipant {
    private static final Logger LOG = LoggerFactory.getLogger(NettyHttpServer.class);
    /** How long the shutdown waits at its deadline for the event loops to say which connections still write. */
    private static final long LOOK_MS = 200;
    private final VelaRuntime runtime;
    private final ServerConfig config;
    private final HttpTransport transport;
    private final MultiThreadIoEventLoopGroup group;
    private final ServerStatsImpl stats;
    /** Every open connection; closed ones leave by themselves. */
    private final ChannelGroup connections = new DefaultChannelGroup("http", ImmediateEventExecutor.INSTANCE);
    private final AtomicBoolean draining = new AtomicBoolean();
    /** The ring hop of each event loop (ADR 0014, decision 6); made by the loop's first connection. */
    private final ConcurrentHashMap<EventExecutor, LoopBatch> batches = new ConcurrentHashMap<>();
    private final CompletableFuture<ShutdownReport> stopped = new CompletableFuture<>();
    private volatile Channel serverChannel;
    private volatile ShutdownParticipant.Registration participation;
    private volatile ShutdownParticipant.Registration statsRegistration;

    private NettyHttpServer(VelaRuntime runtime, ServerConfig config) {
        this.runtime = runtime;
        this.config = config;
        this.transport = Transports.resolve(config.transport());
        this.stats = new ServerStatsImpl(config.router().routes());
        this.group = Transports.group(transport, config.eventLoops(),
                new DefaultThreadFactory(config.threadPrefix() + "-http", true));
    }

    /**
     * Binds and starts serving; registers with the runtime for shutdown and stats.
     *
     * @param runtime the runtime
     * @param config  the resolved configuration
     * @return the running server
     * @throws VelaException when the address cannot be bound
     */
    public static NettyHttpServer start(VelaRuntime runtime, ServerConfig config) {
        NettyHttpServer s = new NettyHttpServer(runtime, config);
        s.bind();
        return s;
    }

    private void bind() {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(Transports.serverChannel(transport))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        initConnection(ch);
                    }
                });
        var bound = b.bind(config.host(), config.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new VelaException("http: cannot bind " + config.host() + ":" + config.port() + " ("
                    + bound.cause().getMessage() + ")", bound.cause());
        }
        serverChannel = bound.channel();
        stats.name("http:" + port());
        try {
            participation = runtime.addShutdownParticipant(this);
        } catch (RuntimeException e) { // the runtime closed meanwhile
            shutdown(Duration.ZERO);
            throw e;
        }
        statsRegistration = runtime.registerStats(stats);
        LOG.info("HTTP server on {} ({}, {} event loop(s), {} route(s))", address(), transport, config.eventLoops(),
                config.router().routes().size());
        hintWaitStrategy();
    }

    /** The idle ring worker's wait strategy is the largest cost per request on few cores (docs/http.md). */
    private void hintWaitStrategy() {
        WaitStrategy configured = runtime.config().get(Settings.EXECUTOR_WAIT_STRATEGY);
        int workers = runtime.config().get(Settings.EXECUTOR_WORKERS);
        int cores = Runtime.getRuntime().availableProcessors();
        if (configured.resolve(WaitStrategy.spinBudget(cores), workers) == WaitStrategy.SLEEPING) {
            LOG.info("executor.wait-strategy = {} resolves to sleeping on {} cores: idle ring workers wake every "
                    + "~60 us and take CPU from the event loops; an HTTP service on few cores does better with "
                    + "executor.wait-strategy = lite-blocking", configured.configName(), cores);
        }
    }

    /** Builds a connection's pipeline; package-private so that tests can run it on an {@code EmbeddedChannel}. */
    void initConnection(Channel ch) {
        stats.accepted.increment();
        long open = stats.open.incrementAndGet();
        ch.closeFuture().addListener(f -> stats.open.decrementAndGet());
        if (open > config.maxConnections() || draining.get()) {
            ConnectionCap.refuse(ch, config.tls() == null);
            return;
        }
        connections.add(ch);
        if (draining.get()) {
            // a shutdown began between the check above and the add: it may have walked the list without this
            // connection, so refuse it here (nothing has been read from it yet) rather than let the shutdown wait
            // out its deadline for a connection it never drains
            connections.remove(ch);
            ConnectionCap.refuse(ch, config.tls() == null);
            return;
        }
        ChannelPipeline p = ch.pipeline();
        if (config.tls() != null) {
            p.addLast("tls", config.tls().newHandler(ch.alloc()));
        } else {
            // a client that half-closes after its requests still reads their answers (the dispatcher closes after)
            ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
        p.addLast("idle", new IdleClose(Duration.ofMillis(config.idleTimeoutMs()), config.minSendRate(),
                config.sendRateWindowMs(), stats.slowReaders));
        p.addLast("read-deadline", new ReadDeadline(config.requestReadTimeoutMs()));
        p.addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxInitialLine())
                .setMaxHeaderSize(config.maxHeaderSize()), hardPipelineDepth(config.maxPipelined())));
        p.addLast("guard", new RequestGuard());
        p.addLast("aggregator", new ClosingAggregator(config.maxContentLength()));
        if (config.compression()) {
            p.addLast("compressor", new HttpContentCompressor());
        }
        // no ChunkedWriteHandler here: every write and flush would pass through it (and queue a node per write);
        // ResponseWriter adds it before the dispatcher on the connection's first streamed answer (ADR 0014)
        p.addLast("dispatch", new HttpDispatcher(this));
    }

    /**
     * Reading pauses at {@code http.max-pipelined} requests in flight, but one read may already hold many more; the
     * codec cuts off a connection whose unanswered requests pass this (a pipelining flood).
     */
    static int hardPipelineDepth(int maxPipelined) {
        return Math.max(128, maxPipelined * 64);
    }

    ServerConfig config() {
        return config;
    }

    RingExecutor executor() {
        return runtime.executor();
    }

    /** @return the ring hop of {@code loop}, made on first use (once per loop, at its first connection) */
    LoopBatch loopBatch(EventExecutor loop) {
        return batches.computeIfAbsent(loop, l -> new LoopBatch(l, runtime.executor()));
    }

    ServerStatsImpl stats0() {
        return stats;
    }

    boolean draining() {
        return draining.get();
    }

    /**
     * @return requests dispatched and not answered, over every route and the fallback: the routes' counters, so that
     *         a request updates no server-wide counter of its own (ADR 0014, decision 7)
     */
    long inFlight() {
        long n = config.router().fallback().stats.inFlight();
        for (Route r : config.router().routes()) {
            n += r.stats.inFlight();
        }
        return n;
    }

    @Override
    public int port() {
        return address().getPort();
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public HttpServerStats stats() {
        return stats;
    }

    @Override
    public HttpTransport transport() {
        return transport;
    }

    @Override
    public void close() {
        shutdown(Duration.ofMillis(runtime.config().get(Settings.SHUTDOWN_DEADLINE_MS)));
        ShutdownParticipant.Registration r = participation;
        if (r != null) {
            r.close();
        }
    }

    /**
     * Stops accepting; lets in-flight requests finish within {@code deadline}; closes idle connections at once and
     * busy ones after their last response; then closes whatever is left and stops the event loops.
     *
     * @param deadline how long in-flight requests may take
     * @return the number of requests cut (accepted but not answered) and of answers cut while going out (a slow
     *         reader's, still being written at the deadline) as {@code notRun}
     */
    @Override
    public ShutdownReport shutdown(Duration deadline) {
        if (!draining.compareAndSet(false, true)) {
            return stopped.join();
        }
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        String name = stats.name();
        long cut = 0;
        try {
            Channel sc = serverChannel;
            if (sc != null) {
                sc.close().awaitUninterruptibly();
            }
            for (Channel ch : connections) {
                HttpDispatcher d = ch.pipeline().get(HttpDispatcher.class);
                if (d != null) {
                    ch.eventLoop().execute(d::drain);
                } else {
                    ch.close();
                }
            }
            while (busy() && System.nanoTime() - end < 0) {
                LockSupportPause.pause();
            }
            cut = inFlight() + (busy() ? answersGoingOut() : 0);
            connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
            ShutdownParticipant.Registration r = statsRegistration;
            if (r != null) {
                r.close();
            }
            ShutdownReport report = new ShutdownReport(name, cut == 0, cut,
                    Duration.ofNanos(System.nanoTime() - start));
            stopped.complete(report);
        }
        return stopped.join();
    }

    /**
     * At the deadline: the connections whose written answers have not all gone out yet (a slow reader's), which the
     * close cuts; each connection is looked at on its event loop, and one whose loop does not answer within
     * {@value #LOOK_MS} ms is counted.
     *
     * @return answers cut by the close to come (beyond the requests in flight)
     */
    private long answersGoingOut() {
        List<io.netty.util.concurrent.Future<Boolean>> looks = new ArrayList<>();
        for (Channel ch : connections) {
            if (ch.pipeline().get(LingeringClose.NAME) == null) {
                looks.add(ch.eventLoop().submit(() -> {
                    ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
                    return out != null && out.totalPendingWriteBytes() > 0;
                }));
            }
        }
        long n = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOOK_MS);
        for (io.netty.util.concurrent.Future<Boolean> look : looks) {
            long left = Math.max(0, end - System.nanoTime());
            if (!look.awaitUninterruptibly(left, TimeUnit.NANOSECONDS) || !look.isSuccess()
                    || Boolean.TRUE.equals(look.getNow())) {
                n++;
            }
        }
        return n;
    }

    /**
     * @return whether a connection is open other than those lingering after their last answer (which the close
     *         below ends: a shutdown does not wait for their clients to close)
     */
    private boolean busy() {
        for (Channel ch : connections) {
            if (ch.pipeline().get(LingeringClose.NAME) == null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return stats.name();
    }
}
