package io.vela.bench.strategies;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The handler side of a {@link Target}: counts every message handled and, while recording, how late it was handled
 * relative to its intended send time. Written by exactly one handler thread ({@link #handle}); read by the driver
 * after it has seen {@link #handled()} reach what it sent (the count is released after the histogram is written).
 * Allocates nothing per message.
 */
final class Recorder {
    private final Histogram histogram = new Histogram(60_000_000_000L, 3);
    private final AtomicLong handled = new AtomicLong();
    private volatile boolean recording;

    /**
     * Handler thread only.
     *
     * @param intendedNanos the {@code System.nanoTime()} at which the message was meant to be sent
     */
    void handle(long intendedNanos) {
        if (recording) {
            histogram.recordValue(Math.max(0, System.nanoTime() - intendedNanos));
        }
        handled.lazySet(handled.get() + 1);
    }

    /** @return messages handled so far */
    long handled() {
        return handled.get();
    }

    /** Driver only, while nothing is in flight: clears the histogram and starts recording. */
    void startRecording() {
        histogram.reset();
        recording = true;
    }

    /**
     * Driver only, once everything sent has been handled.
     *
     * @return a copy of what was recorded since {@link #startRecording()}
     */
    Histogram stopRecording() {
        recording = false;
        return histogram.copy();
    }
}
