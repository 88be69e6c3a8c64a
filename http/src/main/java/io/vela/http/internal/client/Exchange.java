package io.vela.http.internal.client;

import io.netty.channel.Channel;
import io.vela.http.client.HttpClientException;
import io.vela.http.client.HttpClientResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

/**
 * One {@code send}: its result (completed once: by the response, a failure, the timeout or the client's close),
 * its redirect hop count and the connection it is using, if any. Any thread may fail it; the connection's own
 * state is touched only on its event loop ({@link ResponseHandler#abort}).
 */
final class Exchange {
    final CompletableFuture<HttpClientResponse> result = new CompletableFuture<>();
    /** The connection carrying the current hop, null between hops; written on that connection's event loop. */
    volatile Channel channel;
    /** The request-timeout task, cancelled when the result completes. */
    volatile ScheduledFuture<?> timer;
    /** Redirect hops followed so far; touched only by the hop in progress. */
    int hops;
    /** Whether the exchange was already sent again after its reused connection closed under it. */
    boolean retried;

    /**
     * Fails the exchange if it is not complete yet, and abandons its connection (closed, since a response may
     * still be on its way).
     *
     * @param e why
     */
    void fail(HttpClientException e) {
        if (result.completeExceptionally(e)) {
            Channel c = channel;
            if (c != null) {
                ResponseHandler h = c.pipeline().get(ResponseHandler.class);
                if (h != null) {
                    try {
                        c.eventLoop().execute(() -> h.abort(this));
                    } catch (RejectedExecutionException loopGone) {
                        c.close();
                    }
                }
            }
        }
    }

    /** Cancels the timeout task; called once the result is complete. */
    void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
