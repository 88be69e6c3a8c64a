package io.vela.http.internal;

import io.vela.http.AsyncHttpHandler;
import io.vela.http.HttpHandler;
import io.vela.http.HttpRequest;
import io.vela.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A synchronous {@link HttpHandler} seen as an {@link AsyncHttpHandler}. The server calls the wrapped handler
 * directly (no future) on a route without middleware; through middleware it completes a future. Immutable; any
 * thread.
 *
 * @param handler the synchronous handler
 */
public record SyncHandler(HttpHandler handler) implements AsyncHttpHandler {
    @Override
    public CompletableFuture<HttpResponse> handle(HttpRequest req) {
        try {
            return CompletableFuture.completedFuture(handler.handle(req));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
