package io.vela.http.client;

import io.netty.handler.ssl.SslContext;
import io.vela.engine.VelaConfigException;
import io.vela.engine.VelaRuntime;
import io.vela.http.internal.client.ClientEngine;
import io.vela.http.internal.client.ClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A Netty HTTP/1.1 client ({@code http} and {@code https}) with a bounded keep-alive connection pool per host
 * ({@code scheme://host:port}).
 *
 * <p>{@link #send} returns at once; the exchange runs on the client's own event loop(s), and the returned future
 * completes on a ring worker of the runtime (or on the executor given to {@link Builder#completeOn}), so code
 * chained on it never runs on the I/O thread. If that executor refuses the hand-off (full ring, closed runtime) the
 * future completes on the I/O thread instead: it always completes. Failures are {@link HttpClientException}s
 * ({@link HttpClientException#reason()}); an error status is an ordinary response.
 *
 * <p>Threads: {@code send} and {@code close} may be called from any thread. Allocation per exchange: the Netty
 * request and response objects, the response's body and header copies, two futures and a timer entry.
 * {@link #close()} fails every exchange still in flight with {@code CLIENT_CLOSED}, closes the connections and stops
 * the event loop(s).
 */
public final class HttpClient implements AutoCloseable {
    private final ClientEngine engine;

    private HttpClient(ClientEngine engine) {
        this.engine = engine;
    }

    /**
     * @param runtime the runtime whose ring workers complete the futures by default
     * @return a builder with the defaults listed on {@link Builder}; {@code start()} starts the client
     */
    public static Builder builder(VelaRuntime runtime) {
        return new Builder(Objects.requireNonNull(runtime, "runtime"));
    }

    /**
     * Sends {@code request} on a pooled connection to its host (opening one if the pool has room, else waiting for
     * one), reads the whole response, and follows redirects if so configured.
     *
     * @param request the request
     * @return the response; exceptionally an {@link HttpClientException}
     */
    public CompletableFuture<HttpClientResponse> send(HttpClientRequest request) {
        return engine.send(Objects.requireNonNull(request, "request"));
    }

    /** @return connections currently open, idle or in use, over every host */
    public int openConnections() {
        return engine.openConnections();
    }

    /** Fails what is in flight with {@code CLIENT_CLOSED}, closes every connection and stops the I/O threads. */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Client settings. Defaults: connect timeout 5 s, request timeout 30 s, idle timeout 60 s, 8 connections per
     * host, 10 000 requests waiting per host, 8 MiB response limit, redirects not followed (5 hops when they are),
     * one event loop, completion on the runtime's ring executor, {@code https} trusting the JDK's default
     * trust store.
     */
    public static final class Builder {
        private final VelaRuntime runtime;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private int maxConnectionsPerHost = 8;
        private int maxPendingPerHost = 10_000;
        private int maxResponseBytes = 8 << 20;
        private boolean followRedirects;
        private int maxRedirects = 5;
        private int eventLoops = 1;
        private Executor completeOn;
        private SslContext tls;

        private Builder(VelaRuntime runtime) {
            this.runtime = runtime;
        }

        /** @param d how long opening a connection may take; 1 ms to 10 min @return this */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d, "connectTimeout");
            return this;
        }

        /** @param d how long an exchange may take from {@code send} to its last byte; 1 ms to 1 h @return this */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = Objects.requireNonNull(d, "requestTimeout");
            return this;
        }

        /** @param d how long a pooled connection may stay unused before it is closed; 1 ms to 1 h @return this */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = Objects.requireNonNull(d, "idleTimeout");
            return this;
        }

        /** @param n most connections open to one host at once; 1 to 10 000 @return this */
        public Builder maxConnectionsPerHost(int n) {
            this.maxConnectionsPerHost = n;
            return this;
        }

        /** @param n most requests waiting for a connection to one host; 1 to 1 000 000 @return this */
        public Builder maxPendingPerHost(int n) {
            this.maxPendingPerHost = n;
            return this;
        }

        /** @param n the largest response body accepted, in bytes; 1 to 2 147 483 647 @return this */
        public Builder maxResponseBytes(int n) {
            this.maxResponseBytes = n;
            return this;
        }

        /** @param follow whether 301/302/303/307/308 with a {@code Location} are followed (default false) @return this */
        public Builder followRedirects(boolean follow) {
            this.followRedirects = follow;
            return this;
        }

        /** @param n hop limit when following redirects; 1 to 20 @return this */
        public Builder maxRedirects(int n) {
            this.maxRedirects = n;
            return this;
        }

        /** @param n the client's I/O threads; 1 to 64 @return this */
        public Builder eventLoops(int n) {
            this.eventLoops = n;
            return this;
        }

        /** @param executor where the futures complete instead of the runtime's ring executor @return this */
        public Builder completeOn(Executor executor) {
            this.completeOn = Objects.requireNonNull(executor, "completeOn");
            return this;
        }

        /**
         * @param context a client-side Netty {@code SslContext} for {@code https} URIs (trust, protocols, ciphers);
         *                without one, {@code https} uses the JDK's default trust store. Host names are verified.
         * @return this
         * @throws IllegalArgumentException if {@code context} is a server context
         */
        public Builder tls(SslContext context) {
            if (!Objects.requireNonNull(context, "tls").isClient()) {
                throw new IllegalArgumentException("tls: a client SslContext is needed (SslContextBuilder.forClient())");
            }
            this.tls = context;
            return this;
        }

        /**
         * @return a started client
         * @throws VelaConfigException naming each bad setting, its value and the valid range
         */
        public HttpClient start() {
            List<String> problems = new ArrayList<>();
            long connectMs = millis(problems, "connectTimeout", connectTimeout, 600_000);
            long requestMs = millis(problems, "requestTimeout", requestTimeout, 3_600_000);
            long idleMs = millis(problems, "idleTimeout", idleTimeout, 3_600_000);
            range(problems, "maxConnectionsPerHost", maxConnectionsPerHost, 1, 10_000);
            range(problems, "maxPendingPerHost", maxPendingPerHost, 1, 1_000_000);
            range(problems, "maxResponseBytes", maxResponseBytes, 1, Integer.MAX_VALUE);
            range(problems, "maxRedirects", maxRedirects, 1, 20);
            range(problems, "eventLoops", eventLoops, 1, 64);
            if (!problems.isEmpty()) {
                throw new VelaConfigException(problems);
            }
            ClientSettings s = new ClientSettings(connectMs, requestMs, idleMs, maxConnectionsPerHost,
                    maxPendingPerHost, maxResponseBytes, followRedirects ? maxRedirects : 0, eventLoops);
            Executor exec = completeOn != null ? completeOn : runtime.executor();
            return new HttpClient(new ClientEngine(s, exec, tls));
        }

        private static long millis(List<String> problems, String key, Duration d, long maxMs) {
            long ms = d.toMillis();
            if (ms < 1 || ms > maxMs) {
                problems.add("http client " + key + " = " + d + " is not valid; valid values: 1 ms to " + maxMs
                        + " ms");
            }
            return ms;
        }

        private static void range(List<String> problems, String key, int v, int min, int max) {
            if (v < min || v > max) {
                problems.add("http client " + key + " = " + v + " is not valid; valid values: " + min + " to " + max);
            }
        }
    }
}
