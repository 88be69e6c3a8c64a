package io.vela.http.internal.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.pool.AbstractChannelPoolMap;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.vela.engine.RingExecutor;
import io.vela.http.client.HttpClientException;
import io.vela.http.client.HttpClientRequest;
import io.vela.http.client.HttpClientResponse;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's machinery: the event loop group, one {@link FixedChannelPool} per scheme, host and port, the request
 * timeouts (tasks on the event loop), redirects, and the hand-off of each result to the completion executor.
 * {@code send} and {@code close} may be called from any thread.
 */
public final class ClientEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ClientEngine.class);

    private final ClientSettings settings;
    private final Executor completion;
    private final EventLoopGroup group;
    private final AbstractChannelPoolMap<PoolKey, FixedChannelPool> pools;
    private final SslContext configuredTls;
    private volatile SslContext defaultTls;
    private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Every connection made; a closed one leaves on its close notification, or when counted. */
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();

    /**
     * @param settings   validated settings
     * @param completion where results are completed
     * @param tls        the client TLS context for {@code https}; null for the JDK's default trust
     */
    public ClientEngine(ClientSettings settings, Executor completion, SslContext tls) {
        this.settings = settings;
        this.completion = completion;
        this.configuredTls = tls;
        this.group = new MultiThreadIoEventLoopGroup(settings.eventLoops(),
                new DefaultThreadFactory("vela-http-client", true), NioIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeoutMs())
                .option(ChannelOption.TCP_NODELAY, true);
        this.pools = new AbstractChannelPoolMap<>() {
            @Override
            protected FixedChannelPool newPool(PoolKey key) {
                PoolHandler handler = new PoolHandler(ClientEngine.this, settings, connections,
                        key.tls() ? tls() : null, key);
                return new FixedChannelPool(bootstrap.clone().remoteAddress(key.address()), handler,
                        ChannelHealthChecker.ACTIVE, null, -1, settings.maxConnectionsPerHost(),
                        settings.maxPendingPerHost(), true, true);
            }
        };
    }

    /**
     * @param request the request
     * @return its result, completed on the completion executor
     */
    public CompletableFuture<HttpClientResponse> send(HttpClientRequest request) {
        CompletableFuture<HttpClientResponse> user = new CompletableFuture<>();
        Exchange ex = new Exchange();
        ex.result.whenComplete((r, e) -> {
            inFlight.remove(ex);
            ex.cancelTimer();
            handOff(user, r, e);
        });
        inFlight.add(ex);
        if (closed.get()) {
            ex.fail(Failures.closed(request.uri()));
            return user;
        }
        try {
            ex.timer = group.next().schedule(() -> ex.fail(new HttpClientException(
                    HttpClientException.Reason.REQUEST_TIMEOUT, request + ": no complete response within "
                    + settings.requestTimeoutMs() + " ms (requestTimeout)", null)),
                    settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
            attempt(ex, request);
        } catch (RejectedExecutionException | IllegalStateException e) {
            ex.fail(closed.get() ? Failures.closed(request.uri()) : Failures.acquire(e, request.uri(), false));
        }
        return user;
    }

    /** Sends one hop of {@code ex} on a connection from the host's pool. */
    private void attempt(Exchange ex, HttpClientRequest req) {
        URI u = req.uri();
        FixedChannelPool pool = pools.get(PoolKey.of(u));
        pool.acquire().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                ex.fail(Failures.acquire(f.cause(), u, closed.get()));
                return;
            }
            Channel ch = f.getNow();
            ResponseHandler h = ch.pipeline().get(ResponseHandler.class);
            if (h == null) { // closed and torn down since the pool's health check
                pool.release(ch);
                retry(ex, req);
                return;
            }
            if (ch.eventLoop().inEventLoop()) {
                h.begin(ex, req, pool);
            } else {
                ch.eventLoop().execute(() -> h.begin(ex, req, pool));
            }
        });
    }

    /** Sends the current hop of {@code ex} again, on another connection. Called on an event loop. */
    void retry(Exchange ex, HttpClientRequest req) {
        if (ex.result.isDone()) {
            return;
        }
        try {
            attempt(ex, req);
        } catch (RejectedExecutionException | IllegalStateException e) {
            ex.fail(Failures.acquire(e, req.uri(), closed.get()));
        }
    }

    /** A hop answered: follow a redirect, or complete. Called on the connection's event loop. */
    void onResponse(Exchange ex, HttpClientRequest req, HttpClientResponse response) {
        if (settings.maxRedirects() > 0) {
            Optional<HttpClientRequest> next = Redirects.next(req, response);
            if (next.isPresent()) {
                if (ex.hops >= settings.maxRedirects()) {
                    ex.fail(new HttpClientException(HttpClientException.Reason.TOO_MANY_REDIRECTS, req
                            + ": more than " + settings.maxRedirects() + " redirects (maxRedirects)", null));
                    return;
                }
                ex.hops++;
                ex.retried = false;
                retry(ex, next.get());
                return;
            }
        }
        ex.result.complete(response);
    }

    private void handOff(CompletableFuture<HttpClientResponse> user, HttpClientResponse r, Throwable e) {
        Runnable done = () -> {
            if (e == null) {
                user.complete(r);
            } else {
                user.completeExceptionally(e);
            }
        };
        boolean accepted;
        try {
            if (completion instanceof RingExecutor ring) {
                accepted = ring.tryExecute(done).accepted();
            } else {
                completion.execute(done);
                accepted = true;
            }
        } catch (RejectedExecutionException refused) {
            accepted = false;
        }
        if (!accepted) {
            done.run(); // the executor refused (full or closed): complete here rather than never
        }
    }

    /** @return the configured TLS context, or one trusting the JDK's default trust store, made on first use */
    private SslContext tls() {
        SslContext c = configuredTls != null ? configuredTls : defaultTls;
        if (c == null) {
            synchronized (this) {
                if (defaultTls == null) {
                    try {
                        defaultTls = SslContextBuilder.forClient().build();
                    } catch (SSLException e) {
                        throw new IllegalStateException("cannot build the default client TLS context", e);
                    }
                }
                c = defaultTls;
            }
        }
        return c;
    }

    /** @return open connections over every host */
    public int openConnections() {
        connections.removeIf(ch -> !ch.isOpen()); // a connection cut by the loops' shutdown may not notify
        return connections.size();
    }

    /**
     * Fails everything in flight, closes the pools and stops the event loops (waits up to 5 s, unless called on one
     * of them).
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean onOwnLoop = false;
        for (io.netty.util.concurrent.EventExecutor loop : group) {
            onOwnLoop |= loop.inEventLoop();
        }
        if (!onOwnLoop) {
            pools.close(); // first: requests waiting for a connection fail, and no connection opens for them
        }
        for (Exchange ex : inFlight) {
            ex.fail(Failures.closed(URI.create("http://client/")));
        }
        for (Channel ch : connections) {
            ch.close(); // a connection still connecting is not closed by the loops' shutdown: close each here
        }
        if (onOwnLoop) { // closed from a callback on an I/O thread: it cannot wait for itself
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            return;
        }
        for (Channel ch : connections) {
            ch.closeFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        if (!group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS)) {
            LOG.warn("HTTP client event loops did not stop within 5 s");
        }
        for (Channel ch : connections) {
            if (ch.isOpen()) { // made while closing: its loop is gone, so close its socket directly
                ch.unsafe().closeForcibly();
            }
        }
    }
}
