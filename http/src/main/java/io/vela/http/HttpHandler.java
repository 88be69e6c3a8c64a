package io.vela.http;

/**
 * A synchronous request handler. Runs on a ring worker of the runtime's executor, or on the connection's event
 * loop for a route declared {@link RouteOptions#nonBlocking()} (then it must not block). What it throws becomes a
 * 500 response, or the status of an {@link HttpStatusException}.
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * @param request the request (its body fully read)
     * @return the response
     * @throws Exception any failure, answered with 500 (or an {@link HttpStatusException}'s status)
     */
    HttpResponse handle(HttpRequest request) throws Exception;
}
