package io.vela.http;

import io.netty.handler.ssl.SslContext;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.http.internal.NettyHttpServer;
import io.vela.http.internal.RouteSpec;
import io.vela.http.internal.SyncHandler;
import io.vela.http.internal.ServerConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A running HTTP/1.1 server. Requests are decoded on Netty event loops, run through the route's middleware and
 * handler on a ring worker of the runtime's executor (or on the event loop for non-blocking routes), and answered
 * on the connection's event loop (ADR 0009). {@link #close()}, or the runtime's {@code close()}, stops accepting,
 * lets in-flight requests finish within the shutdown deadline, and closes the connections.
 *
 * <p>Every method may be called from any thread.
 */
public interface HttpServer extends AutoCloseable {
    /** @return the bound port (the chosen one when configured with 0) */
    int port();

    /** @return the bound address */
    InetSocketAddress address();

    /** @return the live counters (also in {@code runtime.stats().components()}) */
    HttpServerStats stats();

    /** @return the transport in use (never {@link HttpTransport#AUTO}) */
    HttpTransport transport();

    /** Stops within the runtime's {@code shutdown.deadline-ms}; idempotent. */
    @Override
    void close();

    /**
     * Configures and starts a server. Values default to the runtime's {@code http.*} configuration keys
     * ({@link HttpSettings}); calls here override them. Not thread-safe: use from one thread.
     */
    final class Builder {
        private final VelaRuntime runtime;
        private String host;
        private int port;
        private HttpTransport transport;
        private int eventLoops;
        private boolean compression;
        private SslContext tls;
        private JsonCodec json = JacksonJsonCodec.defaultCodec();
        private final List<RouteSpec> routes = new ArrayList<>();
        private final List<Middleware> middleware = new ArrayList<>();

        Builder(VelaRuntime runtime) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
            VelaConfig c = runtime.config();
            this.host = c.get(HttpSettings.HOST);
            this.port = c.get(HttpSettings.PORT);
            this.transport = c.get(HttpSettings.TRANSPORT);
            this.eventLoops = c.get(HttpSettings.EVENT_LOOPS);
            this.compression = c.get(HttpSettings.COMPRESSION);
        }

        /**
         * @param host address to bind (default {@code 127.0.0.1})
         * @return this
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port port to bind; 0 = any free port
         * @return this
         * @throws io.vela.engine.VelaConfigException when out of range
         */
        public Builder port(int port) {
            this.port = ServerConfig.checkRange("http.port", port, 0, 65_535);
            return this;
        }

        /**
         * @param transport the Netty transport
         * @return this
         */
        public Builder transport(HttpTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * @param eventLoops event-loop threads; 0 fits them to the cores
         * @return this
         */
        public Builder eventLoops(int eventLoops) {
            this.eventLoops = ServerConfig.checkRange("http.event-loops", eventLoops, 0, 1024);
            return this;
        }

        /**
         * @param context a server TLS context; every connection then starts with Netty's {@code SslHandler}
         * @return this
         */
        public Builder tls(SslContext context) {
            if (!Objects.requireNonNull(context, "context").isServer()) {
                throw new IllegalArgumentException("tls: a client SslContext was given; valid: a server context");
            }
            this.tls = context;
            return this;
        }

        /**
         * @param enabled compress responses (Netty's {@code HttpContentCompressor}) for clients that accept it
         * @return this
         */
        public Builder compression(boolean enabled) {
            this.compression = enabled;
            return this;
        }

        /**
         * @param codec the JSON codec for {@code bodyAs} and {@code json} responses (default: Jackson)
         * @return this
         */
        public Builder json(JsonCodec codec) {
            this.json = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * @param m middleware around every route's handler; the first added is the outermost
         * @return this
         */
        public Builder use(Middleware m) {
            middleware.add(Objects.requireNonNull(m, "middleware"));
            return this;
        }

        /**
         * @param template e.g. {@code /orders/{id}}
         * @param h        the handler
         * @return this
         */
        public Builder get(String template, HttpHandler h) {
            return route("GET", template, h, RouteOptions.defaults());
        }

        /**
         * @param template the path template
         * @param h        the handler
         * @return this
         */
        public Builder post(String template, HttpHandler h) {
            return route("POST", template, h, RouteOptions.defaults());
        }

        /**
         * @param template the path template
         * @param h        the handler
         * @return this
         */
        public Builder put(String template, HttpHandler h) {
            return route("PUT", template, h, RouteOptions.defaults());
        }

        /**
         * @param template the path template
         * @param h        the handler
         * @return this
         */
        public Builder delete(String template, HttpHandler h) {
            return route("DELETE", template, h, RouteOptions.defaults());
        }

        /**
         * @param method   an HTTP method (upper case)
         * @param template the path template: literal segments and {@code {name}} parameters
         * @param h        the handler
         * @param options  where it runs
         * @return this
         */
        public Builder route(String method, String template, HttpHandler h, RouteOptions options) {
            Objects.requireNonNull(h, "handler");
            return routeAsync(method, template, new SyncHandler(h), options);
        }

        /**
         * The asynchronous overload. An implicitly typed lambda matches both overloads: pass a typed variable, or
         * call {@link #routeAsync}.
         *
         * @param method   an HTTP method (upper case)
         * @param template the path template
         * @param h        the asynchronous handler
         * @param options  where it is called
         * @return this
         */
        public Builder route(String method, String template, AsyncHttpHandler h, RouteOptions options) {
            return routeAsync(method, template, h, options);
        }

        /**
         * @param method   an HTTP method (upper case)
         * @param template the path template
         * @param h        the asynchronous handler
         * @param options  where it is called
         * @return this
         */
        public Builder routeAsync(String method, String template, AsyncHttpHandler h, RouteOptions options) {
            routes.add(new RouteSpec(Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT),
                    Objects.requireNonNull(template, "template"), Objects.requireNonNull(h, "handler"),
                    Objects.requireNonNull(options, "options")));
            return this;
        }

        /**
         * Binds and starts serving.
         *
         * @return the running server, also stopped by the runtime's {@code close()}
         * @throws io.vela.engine.VelaConfigException on a bad route table or an unavailable transport
         * @throws io.vela.engine.VelaException when the address cannot be bound
         */
        public HttpServer start() {
            ServerConfig config = ServerConfig.from(runtime, host, port, transport, eventLoops, compression, tls, json,
                    routes, middleware);
            return NettyHttpServer.start(runtime, config);
        }
    }
}
