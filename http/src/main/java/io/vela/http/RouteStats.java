package io.vela.http;

import org.HdrHistogram.Histogram;

/**
 * One route's counters: requests, responses by status class, in flight, and a latency histogram (nanoseconds
 * from request decoded to response written to the connection). Updated by event-loop threads; read from any.
 */
public interface RouteStats {
    /** @return e.g. {@code GET /orders/{id}} */
    String route();

    /** @return requests routed here */
    long requests();

    /**
     * @param statusClass 1..5 (for 1xx..5xx)
     * @return responses in that class
     */
    long responses(int statusClass);

    /** @return requests dispatched and not yet answered */
    long inFlight();

    /** @return a copy of the latency histogram, nanoseconds (allocates) */
    Histogram latencyNanos();
}
