package io.vela.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A route's in-flight count is derived (requests less answers, ADR 0014 decision 7): a reader racing the event
 * loops must not miss a request that is in flight the whole time it reads (the shutdown reports the cut requests
 * from this figure), however many other requests start and finish meanwhile.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RouteStatsInFlightTest {

    @Test
    void aRequestInFlightThroughoutIsNeverMissedByARacingReader() throws Exception {
        RouteStatsImpl stats = new RouteStatsImpl("GET /x");
        stats.started(); // a request that never finishes (cut at shutdown)
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong served = new AtomicLong();
        Thread loop = new Thread(() -> {
            while (!stop.get()) {
                stats.started();
                stats.finished(200, 1_000);
                served.incrementAndGet();
            }
        }, "event-loop-stand-in");
        loop.setDaemon(true);
        loop.start();
        long reads = 0;
        long missed = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
        try {
            while (System.nanoTime() - end < 0 && missed == 0) {
                if (stats.inFlight() < 1) {
                    missed++;
                }
                reads++;
            }
        } finally {
            stop.set(true);
            loop.join(5_000);
        }
        assertThat(loop.isAlive()).isFalse();
        assertThat(served.get()).as("the stand-in loop ran").isPositive();
        assertThat(missed).as("reads that missed the request in flight, of %d (%d served meanwhile)", reads,
                served.get()).isZero();
        // every request accounted for once the writer stopped: exactly the one left in flight
        assertThat(stats.inFlight()).isEqualTo(1);
        assertThat(stats.requests()).isEqualTo(served.get() + 1);
        assertThat(stats.responses(2)).isEqualTo(served.get());
    }
}
