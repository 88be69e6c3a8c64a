package io.vela.http;

import io.vela.engine.ComponentStats;
import java.util.List;

/**
 * A server's live counters, also carried by {@code runtime.stats().components()}: one {@link RouteStats} per
 * route, and the requests no route took. Readable from any thread at any time; reading allocates nothing but
 * {@link #describe()}.
 */
public interface HttpServerStats extends ComponentStats {
    /** @return one entry per route, in registration order */
    List<RouteStats> routes();

    /** @return requests answered 404 or 405 (no route) */
    long unrouted();

    /** @return requests refused with 503 because the executor's ring was full or closed */
    long rejected();

    /** @return connections open now */
    long openConnections();

    /** @return connections accepted since start (including refused ones beyond the cap) */
    long acceptedConnections();

    /**
     * @return connections closed because their answers drained slower than {@code http.min-send-rate} (slow
     *         readers)
     */
    long slowReadersClosed();
}
