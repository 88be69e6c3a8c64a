package io.vela.http.internal;

import io.vela.http.AsyncHttpHandler;
import io.vela.http.HttpHandler;
import io.vela.http.RouteOptions;
import java.util.List;

/**
 * A built route: its handler wrapped in the middleware chain (composed once, at start), its parameter names, and
 * its counters. Immutable apart from the counters; shared by all event loops.
 */
final class Route {
    final String method;
    final String template;
    final List<String> paramNames;
    final AsyncHttpHandler chain;
    /** The synchronous handler to call directly (no middleware, no future), or {@code null}. */
    final HttpHandler direct;
    final RouteOptions options;
    final int keyParamIndex;
    final RouteStatsImpl stats;

    Route(String method, String template, List<String> paramNames, AsyncHttpHandler chain, HttpHandler direct,
          RouteOptions options) {
        this.method = method;
        this.template = template;
        this.paramNames = List.copyOf(paramNames);
        this.chain = chain;
        this.direct = direct;
        this.options = options;
        this.keyParamIndex = options.keyPathParam().map(paramNames::indexOf).orElse(-1);
        this.stats = new RouteStatsImpl(method + " " + template);
    }
}
