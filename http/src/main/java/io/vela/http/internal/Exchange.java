package io.vela.http.internal;

import io.vela.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * One request on its way: created on the event loop, run (as the task given to the ring) on a ring worker or on the
 * event loop, answered on the event loop. The response field is written and read on the event loop only.
 */
final class Exchange implements Runnable {
    final HttpDispatcher connection;
    final NettyRequest request;
    final Route route;
    final boolean keepAlive;
    final boolean head;
    final long startNanos;
    HttpResponse response;
    /** Counted in the route's in-flight counters (it reached dispatch). Event loop only. */
    boolean counted;

    Exchange(HttpDispatcher connection, NettyRequest request, Route route, boolean keepAlive, boolean head) {
        this.connection = connection;
        this.request = request;
        this.route = route;
        this.keepAlive = keepAlive;
        this.head = head;
        this.startNanos = System.nanoTime();
    }

    /** Runs the route's middleware chain and handler; hands the outcome back to the connection's event loop. */
    @Override
    public void run() {
        CompletableFuture<HttpResponse> f;
        try {
            f = route.chain.handle(request);
            if (f == null) {
                f = CompletableFuture.failedFuture(new IllegalStateException("handler returned a null future"));
            }
        } catch (Throwable t) {
            f = CompletableFuture.failedFuture(t);
        }
        f.whenComplete((r, e) -> connection.answer(this, r, e));
    }
}
