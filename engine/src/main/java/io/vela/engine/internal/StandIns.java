package io.vela.engine.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when an executor worker stuck in a task is stood in for on the shared ring (ADR 0019, {@link StandIn}).
 * Runs on the timer agent's thread, sampling the workers once per threshold while none has work behind it, and
 * four times per threshold (at least a millisecond apart) while one has: a worker whose announced position and
 * sequence have not moved for the threshold while the ring has slots past its sequence gets a request; if neither
 * has moved a sample later and the worker has not declined, it is granted. So a worker that gets stuck while the
 * executor is busy is stood in for one and a quarter to one and a half thresholds after it got stuck; one that gets
 * stuck after an idle spell, up to two and a quarter (the first sample that finds work, up to a threshold later, is
 * the first to see it, and counts the threshold from there). An idle runtime's timer thread wakes for it once per
 * threshold (10 times a second at the default 100 ms).
 * Nothing with a single worker (nobody to stand in) or a threshold of 0.
 *
 * <p>Timer thread only; allocates nothing per sample.
 */
public final class StandIns implements TimerService.Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(StandIns.class);
    /** The least time between a request and its grant (the hand-over's visibility assumption, ADR 0019). */
    static final long MIN_REQUEST_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RingExecutorImpl executor;
    private final long thresholdNanos;
    private final long sampleEvery;
    private final long[] lastSequence;
    private final long[] lastPosition;
    private final long[] since;
    private final long[] requestedAt;
    private long nextSample;

    /**
     * @param executor  the executor whose workers it watches
     * @param threshold how long a worker may be stuck before others stand in for it; zero disables
     */
    public StandIns(RingExecutorImpl executor, Duration threshold) {
        this.executor = executor;
        int n = executor.workers().length;
        this.thresholdNanos = n < 2 ? 0 : threshold.toNanos();
        this.sampleEvery = Math.max(MIN_REQUEST_AGE_NANOS, thresholdNanos / 4);
        this.lastSequence = new long[n];
        this.lastPosition = new long[n];
        this.since = new long[n];
        this.requestedAt = new long[n];
        long now = System.nanoTime();
        this.nextSample = now;
        java.util.Arrays.fill(since, now);
        java.util.Arrays.fill(lastSequence, Long.MIN_VALUE);
    }

    @Override
    public int applyAsInt(long now) {
        if (thresholdNanos == 0 || now - nextSample < 0) {
            return 0;
        }
        ExecutorWorker[] workers = executor.workers();
        long cursor = executor.cursor();
        int granted = 0;
        boolean watching = false;
        for (int i = 0; i < workers.length; i++) {
            ExecutorWorker w = workers[i];
            StandIn s = w.standIn;
            int state = s.state();
            long seq = w.sequence.get();
            long pos = w.position();
            boolean moved = seq != lastSequence[i] || pos != lastPosition[i];
            lastSequence[i] = seq;
            lastPosition[i] = pos;
            if (state == StandIn.GRANTED) {
                since[i] = now;
                continue;
            }
            watching |= seq < cursor;
            if (moved || seq >= cursor || w.halt) {
                if (state == StandIn.REQUESTED) {
                    s.cancelRequest();
                }
                since[i] = now;
                continue;
            }
            if (state == StandIn.NONE) {
                if (now - since[i] >= thresholdNanos && s.request()) {
                    requestedAt[i] = now;
                }
            } else if (now - requestedAt[i] >= MIN_REQUEST_AGE_NANOS) { // REQUESTED, and nothing moved since
                if (executor.standIn(w, pos)) {
                    granted++;
                    LOG.debug("Ring '{}': worker {} has been on one task for {} ms; the others stand in for it on "
                            + "the shared ring from slot {}", executor.name(), w.index,
                            TimeUnit.NANOSECONDS.toMillis(now - since[i]), pos + 1);
                } else {
                    s.cancelRequest();
                }
                since[i] = now;
            }
        }
        nextSample = now + (watching ? sampleEvery : Math.max(sampleEvery, thresholdNanos));
        return granted;
    }

    @Override
    public long nanosUntilDue(long now) {
        return thresholdNanos == 0 ? Long.MAX_VALUE : Math.max(0, nextSample - now);
    }
}
