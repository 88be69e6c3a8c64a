package io.vela.http.internal.client;

/**
 * Validated client settings (see {@code HttpClient.Builder}).
 *
 * @param connectTimeoutMs      connect timeout
 * @param requestTimeoutMs      send-to-last-byte timeout, redirects included
 * @param idleTimeoutMs         how long an unused pooled connection stays open
 * @param maxConnectionsPerHost pool bound per host
 * @param maxPendingPerHost     requests that may wait for a connection per host
 * @param maxResponseBytes      largest body accepted
 * @param maxRedirects          hops followed; 0 = redirects are returned as responses
 * @param eventLoops            I/O threads
 */
public record ClientSettings(long connectTimeoutMs, long requestTimeoutMs, long idleTimeoutMs,
        int maxConnectionsPerHost, int maxPendingPerHost, int maxResponseBytes, int maxRedirects, int eventLoops) {
}
