package io.vela.http.internal;

/**
 * A request {@link RequestGuard} refused, passed down the pipeline so that {@link HttpDispatcher} answers it after
 * the requests before it on the connection (pipelining keeps its order) and then closes. Immutable; created and
 * read on the connection's event loop.
 *
 * @param status the status to answer with
 * @param text   a short plain-text body
 */
public record Rejection(int status, String text) {
}
