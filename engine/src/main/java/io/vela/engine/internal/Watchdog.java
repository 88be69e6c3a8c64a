package io.vela.engine.internal;

import io.vela.engine.StallListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices an executor worker stuck on one task longer than a threshold. Runs on the timer agent's thread, once per
 * duty cycle, sampling each worker at most every {@code threshold / 4} (the idle timer thread sleeps until the next
 * sample, {@link #nanosUntilDue}): a worker is stuck when it has work behind
 * it (its sequence is below the shared ring's cursor, or one of its submitter lanes has a published slot it has not
 * finished, or a slot it announced and has not finished — ADR 0015 and 0017: a worker runs a lane slot on its stamp,
 * perhaps before the owner's cursor store; a stamp the worker has not announced does not count, since a parked worker
 * waits for the owner's signal after that store) and neither its sequence, nor the slot it announced last (it announces each task before
 * running it), nor the progress on its lanes (their consumed and announced positions) moved for the threshold. Quiet for a grace period after start. Costs the
 * workers nothing beyond the announcement they make anyway.
 */
public final class Watchdog implements TimerService.Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    private final RingExecutorImpl executor;
    private final long thresholdNanos;
    private final long quietUntil;
    private final long sampleEvery;
    private final StallListener listener;
    private final java.util.concurrent.Executor notifier;
    private final long[] lastSequence;
    private final long[] lastPosition;
    private final long[] lastLaneMark;
    private final long[] lastProgress;
    private final boolean[] reported;
    private long nextSample;

    /**
     * @param executor  the executor to watch
     * @param threshold how long one task may run before it is reported
     * @param grace     quiet period after start
     * @param listener  told of each stall
     * @param notifier  where the listener runs (not the timer thread: the listener is user code)
     */
    public Watchdog(RingExecutorImpl executor, Duration threshold, Duration grace, StallListener listener,
            java.util.concurrent.Executor notifier) {
        this.executor = executor;
        this.thresholdNanos = threshold.toNanos();
        long now = System.nanoTime();
        this.quietUntil = now + grace.toNanos();
        this.nextSample = now;
        this.sampleEvery = Math.max(1_000_000L, thresholdNanos / 4);
        this.listener = listener;
        this.notifier = notifier;
        int n = executor.workers().length;
        this.lastSequence = new long[n];
        this.lastPosition = new long[n];
        this.lastLaneMark = new long[n];
        this.lastProgress = new long[n];
        this.reported = new boolean[n];
        java.util.Arrays.fill(lastProgress, now);
        java.util.Arrays.fill(lastSequence, -1);
    }

    @Override
    public int applyAsInt(long now) {
        if (thresholdNanos == 0 || now - nextSample < 0) {
            return 0;
        }
        nextSample = now + sampleEvery;
        ExecutorWorker[] workers = executor.workers();
        long cursor = executor.cursor();
        int found = 0;
        for (int i = 0; i < workers.length; i++) {
            ExecutorWorker w = workers[i];
            long seq = w.sequence.get();
            long pos = w.position();
            long laneMark = 0;
            boolean laneBusy = false;
            for (SubmitterLane lane : w.lanes.lanes()) { // a lane's consumed moves after its batch, so a worker
                long consumed = lane.consumed.get(); // in a lane task has that lane's cursor above it, or (run on
                long announced = lane.position.position(); // its stamp before the owner's cursor store, ADR 0017)
                laneMark += consumed + announced; // its announcement: not a stamp alone, which an idle worker
                laneBusy |= lane.ring.getCursor() > consumed || announced > consumed; // waiting for a signal has
            }
            if (seq != lastSequence[i] || pos != lastPosition[i] || laneMark != lastLaneMark[i]
                    || (seq >= cursor && !laneBusy)) {
                lastSequence[i] = seq;
                lastPosition[i] = pos;
                lastLaneMark[i] = laneMark;
                lastProgress[i] = now;
                reported[i] = false;
                continue;
            }
            long stuck = now - lastProgress[i];
            if (!reported[i] && stuck >= thresholdNanos && now - quietUntil >= 0 && w.thread != null) {
                reported[i] = true;
                found++;
                notify(w.thread, Duration.ofNanos(stuck));
            }
        }
        return found;
    }

    /**
     * When the next sample is due, so that the idle timer thread may sleep until then (ADR 0018). Timer thread only.
     *
     * @param now {@code System.nanoTime()}
     * @return nanoseconds until {@link #applyAsInt} samples again (0: now; {@code Long.MAX_VALUE}: never, disabled)
     */
    @Override
    public long nanosUntilDue(long now) {
        return thresholdNanos == 0 ? Long.MAX_VALUE : Math.max(0, nextSample - now);
    }

    /** Hands the stall to the listener on the notifier, so that no user code runs on the timer thread. */
    private void notify(Thread worker, Duration stuck) {
        String ring = executor.name();
        io.vela.engine.internal.jfr.JfrEvents.stall(ring, worker.getName(), stuck);
        try {
            notifier.execute(() -> {
                try {
                    listener.onStall(ring, worker, stuck);
                } catch (Throwable t) {
                    Logging.errorQuietly(LOG, "Stall listener threw", t);
                }
            });
        } catch (RuntimeException refused) { // the pool is full or shut down: say it here, without user code
            LOG.warn("Worker {} of ring '{}' has been on one task for {} ms (stall listener not called: {})",
                    worker.getName(), ring, stuck.toMillis(), refused.getClass().getSimpleName());
        }
    }

    /** The default listener: an SLF4J warning with the stuck thread's stack. */
    public static final StallListener LOG_WARNING = (ring, worker, stuck) -> {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : worker.getStackTrace()) {
            sb.append("\n\tat ").append(e);
        }
        LOG.warn("Worker {} of ring '{}' has been on one task for {} ms:{}", worker.getName(), ring,
                stuck.toMillis(), sb);
    };
}
