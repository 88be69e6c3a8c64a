package io.vela.http;

import java.util.Objects;
import java.util.Optional;

/**
 * How a route's requests reach its handler: on a ring worker (default), on the event loop
 * ({@link #nonBlocking()}), or on a ring worker in order per key ({@link #keyedByPathParam(String)},
 * {@link #keyedByHeader(String)}). Immutable.
 */
public final class RouteOptions {
    private static final RouteOptions DEFAULTS = new RouteOptions(false, null, null);
    private final boolean nonBlocking;
    private final String keyPathParam;
    private final String keyHeader;

    private RouteOptions(boolean nonBlocking, String keyPathParam, String keyHeader) {
        this.nonBlocking = nonBlocking;
        this.keyPathParam = keyPathParam;
        this.keyHeader = keyHeader;
    }

    /** @return handler on any ring worker */
    public static RouteOptions defaults() {
        return DEFAULTS;
    }

    /** @return handler on the connection's event loop: it must never block */
    public RouteOptions nonBlocking() {
        return new RouteOptions(true, null, null);
    }

    /**
     * @param name a path parameter of the route's template
     * @return handler on a ring worker, requests with the same value of {@code name} in arrival order
     */
    public RouteOptions keyedByPathParam(String name) {
        return new RouteOptions(false, Objects.requireNonNull(name, "name"), null);
    }

    /**
     * @param name a header; requests without it are not ordered
     * @return handler on a ring worker, requests with the same value of header {@code name} in arrival order
     */
    public RouteOptions keyedByHeader(String name) {
        return new RouteOptions(false, null, Objects.requireNonNull(name, "name"));
    }

    /** @return true when the handler runs on the event loop */
    public boolean isNonBlocking() {
        return nonBlocking;
    }

    /** @return the path parameter keying the route, if any */
    public Optional<String> keyPathParam() {
        return Optional.ofNullable(keyPathParam);
    }

    /** @return the header keying the route, if any */
    public Optional<String> keyHeader() {
        return Optional.ofNullable(keyHeader);
    }
}
