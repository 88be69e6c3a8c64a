package io.vela.bench.actors;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Times round trips for a warm-up and then a measured period, in an HdrHistogram. Used by one thread at a time:
 * the pinging actor (whose turns are ordered) or the asking thread.
 */
final class RoundTrips {
    private final long warmNanos;
    private final long measureNanos;
    private final Histogram histogram = new Histogram(60_000_000_000L, 3);
    private final CompletableFuture<Histogram> done = new CompletableFuture<>();
    private long measureFrom;
    private long end;
    private long sentAt;

    /**
     * @param warmNanos    round trips in this first period are not recorded
     * @param measureNanos then recorded for this long
     */
    RoundTrips(long warmNanos, long measureNanos) {
        this.warmNanos = warmNanos;
        this.measureNanos = measureNanos;
    }

    /** Starts the clock: call just before sending the first request. */
    void start() {
        long now = System.nanoTime();
        measureFrom = now + warmNanos;
        end = measureFrom + measureNanos;
        sentAt = now;
    }

    /**
     * Records the round trip that just ended.
     *
     * @return true to send the next request now (the clock restarts), false when the period is over
     */
    boolean next() {
        long now = System.nanoTime();
        if (now >= measureFrom) {
            histogram.recordValue(now - sentAt);
        }
        if (now >= end) {
            done.complete(histogram);
            return false;
        }
        sentAt = System.nanoTime();
        return true;
    }

    /** @param e why the round trips cannot go on */
    void fail(Throwable e) {
        done.completeExceptionally(e);
    }

    /** @return completed with the histogram when the measured period is over */
    CompletableFuture<Histogram> done() {
        return done;
    }

    /**
     * Asks in a loop on the calling thread, one request at a time, spinning on each answer (so the figure is the
     * actor system's round trip, not this thread's wake-up), until the measured period is over.
     *
     * @param ask sends one request and returns its answer's future
     * @return the round trips of the measured period
     */
    Histogram askLoop(Supplier<? extends CompletableFuture<?>> ask) {
        start();
        do {
            CompletableFuture<?> answer = ask.get();
            while (!answer.isDone()) {
                Thread.onSpinWait();
            }
            answer.join();
        } while (next());
        return done.join();
    }
}
