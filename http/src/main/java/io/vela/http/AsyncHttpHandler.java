package io.vela.http;

import java.util.concurrent.CompletableFuture;

/**
 * A handler that answers later: the server writes the response on the connection's event loop when the future
 * completes, whichever thread completes it. Called where an {@link HttpHandler} would be.
 */
@FunctionalInterface
public interface AsyncHttpHandler {
    /**
     * @param request the request
     * @return the response, when ready; completed exceptionally it becomes a 500 (or an
     *         {@link HttpStatusException}'s status)
     */
    CompletableFuture<HttpResponse> handle(HttpRequest request);
}
