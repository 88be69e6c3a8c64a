package io.vela.http.internal;

import io.vela.http.HttpServerStats;
import io.vela.http.RouteStats;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjLongConsumer;

/** A server's counters; routes' counters live in their {@link Route}s. Updated by event loops, read by anyone. */
final class ServerStatsImpl implements HttpServerStats {
    private volatile String name = "http";
    private final List<RouteStats> routes;
    final LongAdder unrouted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final AtomicLong open = new AtomicLong();
    final LongAdder accepted = new LongAdder();
    /** Connections closed by {@link SendRate}: counted by the event loops, once per connection. */
    final LongAdder slowReaders = new LongAdder();

    ServerStatsImpl(List<Route> routes) {
        this.routes = routes.stream().map(r -> (RouteStats) r.stats).toList();
    }

    void name(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<RouteStats> routes() {
        return routes;
    }

    @Override
    public long unrouted() {
        return unrouted.sum();
    }

    @Override
    public long rejected() {
        return rejected.sum();
    }

    @Override
    public long openConnections() {
        return open.get();
    }

    @Override
    public long acceptedConnections() {
        return accepted.sum();
    }

    @Override
    public long slowReadersClosed() {
        return slowReaders.sum();
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%s: %d connection(s) open, %d accepted, %d unrouted, %d refused (503), %d slow reader(s) closed%n",
                name, openConnections(), acceptedConnections(), unrouted(), rejected(), slowReadersClosed()));
        sb.append(String.format(Locale.ROOT, "%-32s %10s %8s %8s %8s %8s %8s %8s %10s %10s%n", "route", "requests",
                "flight", "1xx", "2xx", "3xx", "4xx", "5xx", "p50 us", "p99 us"));
        for (RouteStats r : routes) {
            var h = r.latencyNanos();
            sb.append(String.format(Locale.ROOT, "%-32s %10d %8d %8d %8d %8d %8d %8d %10.1f %10.1f%n", r.route(),
                    r.requests(), r.inFlight(), r.responses(1), r.responses(2), r.responses(3), r.responses(4),
                    r.responses(5), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3));
        }
        return sb.toString();
    }

    /**
     * The server's and each route's numbers for the counters file ({@code vela-stat}) and the metrics binder, read
     * by Vela's counters thread: {@code connections-open}, {@code connections-accepted}, {@code unrouted},
     * {@code refused}, {@code slow-readers-closed}, and per route {@code <METHOD>_<template>.requests},
     * {@code .in-flight}, {@code .1xx} to {@code .5xx} and {@code .p99-us} (the route's latency histogram, copied: this allocates, off the hot path).
     */
    @Override
    public void counters(ObjLongConsumer<String> sink) {
        sink.accept("connections-open", openConnections());
        sink.accept("connections-accepted", acceptedConnections());
        sink.accept("unrouted", unrouted());
        sink.accept("refused", rejected());
        sink.accept("slow-readers-closed", slowReadersClosed());
        for (RouteStats r : routes) {
            String key = r.route().replace(' ', '_');
            sink.accept(key + ".requests", r.requests());
            sink.accept(key + ".in-flight", r.inFlight());
            for (int c = 1; c <= 5; c++) {
                sink.accept(key + "." + c + "xx", r.responses(c));
            }
            sink.accept(key + ".p99-us", r.latencyNanos().getValueAtPercentile(99) / 1_000);
        }
    }
}
