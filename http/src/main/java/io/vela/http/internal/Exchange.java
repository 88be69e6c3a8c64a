package io.vela.http.internal;

import io.netty.handler.codec.http.HttpVersion;
import io.vela.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * One request on its way: created on the event loop, run (as the task given to the ring) on a ring worker or on the
 * event loop, answered on the event loop. {@link #response} is written and read on the event loop only;
 * {@link #completed} carries a ring worker's answer to the event loop.
 */
final class Exchange implements Runnable {
    final HttpDispatcher connection;
    final NettyRequest request;
    final HttpVersion version;
    final Route route;
    final boolean keepAlive;
    final boolean head;
    final long startNanos;
    HttpResponse response;
    /**
     * The answer, set by the thread that completed the handler when that is not the event loop; published to the
     * loop by {@link LoopBatch#completed}'s CAS.
     */
    HttpResponse completed;
    /** The next exchange in {@link LoopBatch}'s stack of answers (written before the push, read after the take). */
    Exchange nextDone;
    /** Counted in the route's in-flight counters (it reached dispatch). Event loop only. */
    boolean counted;

    Exchange(HttpDispatcher connection, NettyRequest request, HttpVersion version, Route route, boolean keepAlive,
             boolean head) {
        this.connection = connection;
        this.request = request;
        this.version = version;
        this.route = route;
        this.keepAlive = keepAlive;
        this.head = head;
        this.startNanos = System.nanoTime();
    }

    /**
     * Runs the route's middleware chain and handler; hands the outcome back to the connection's event loop. A
     * synchronous handler without middleware is called directly, without a future.
     */
    @Override
    public void run() {
        if (route.direct != null) {
            HttpResponse r = null;
            Throwable error = null;
            try {
                r = route.direct.handle(request);
            } catch (Throwable t) {
                error = t;
            }
            connection.answer(this, r, error);
            return;
        }
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
