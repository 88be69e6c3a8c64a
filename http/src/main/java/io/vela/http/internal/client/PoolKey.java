package io.vela.http.internal.client;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * What a connection pool is for: scheme, host and port.
 *
 * @param tls  whether connections speak TLS ({@code https})
 * @param host host name or address as in the URI
 * @param port port (the scheme's default when the URI has none)
 */
record PoolKey(boolean tls, String host, int port) {
    static PoolKey of(URI uri) {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        return new PoolKey(tls, uri.getHost(), uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80);
    }

    /** @return the address to connect to, resolved when connecting */
    InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(host, port);
    }
}
