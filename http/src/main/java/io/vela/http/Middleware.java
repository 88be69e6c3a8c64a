package io.vela.http;

import java.util.concurrent.CompletableFuture;

/**
 * Around-style middleware: sees the request before the handler and the response after it, and may answer itself
 * without calling {@link Next#proceed(HttpRequest)} (short-circuit). Installed with
 * {@link HttpServer.Builder#use(Middleware)}; the first installed is the outermost. Runs on the thread that runs
 * the route's handler. Ready-made ones: {@link Middlewares}.
 */
@FunctionalInterface
public interface Middleware {
    /**
     * @param request the request
     * @param next    the rest of the chain
     * @return the response
     */
    CompletableFuture<HttpResponse> handle(HttpRequest request, Next next);

    /** The rest of a middleware chain: the following middleware, then the handler. */
    @FunctionalInterface
    interface Next {
        /**
         * @param request the request to pass on (the same, or a changed one)
         * @return the response of the rest of the chain
         */
        CompletableFuture<HttpResponse> proceed(HttpRequest request);
    }
}
