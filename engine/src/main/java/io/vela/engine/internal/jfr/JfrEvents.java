package io.vela.engine.internal.jfr;

import io.vela.engine.ShutdownReport;
import java.time.Duration;

/**
 * Emits Vela's rare JFR events: stalls, shutdown reports, lossy drops (rejections: {@link RejectionEvents}). Any
 * thread; each call allocates one event, and is made only on a rare path.
 */
public final class JfrEvents {
    private JfrEvents() {
    }

    /**
     * @param ring   the ring
     * @param worker the stuck worker's name
     * @param stuck  how long
     */
    public static void stall(String ring, String worker, Duration stuck) {
        StallEvent e = new StallEvent();
        if (e.isEnabled()) {
            e.ring = ring;
            e.worker = worker;
            e.stuck = stuck.toNanos();
            e.commit();
        }
    }

    /** @param report one part's shutdown report */
    public static void shutdown(ShutdownReport report) {
        ShutdownEvent e = new ShutdownEvent();
        if (e.isEnabled()) {
            e.part = report.name();
            e.completed = report.completed();
            e.notRun = report.notRun();
            e.took = report.took().toNanos();
            e.commit();
        }
    }

    /** Rate-limited {@link LossyDropEvent}s of one subscription. Any thread; allocates only when one is due. */
    public static final class LossyDrops {
        private final String subscription;
        private final Throttle throttle = new Throttle();

        /** @param subscription the subscription's name */
        public LossyDrops(String subscription) {
            this.subscription = subscription;
        }

        /** @param total events the subscription skipped so far */
        public void dropped(long total) {
            long since = throttle.due(total);
            if (since > 0) {
                LossyDropEvent e = new LossyDropEvent();
                if (e.isEnabled()) {
                    e.subscription = subscription;
                    e.dropped = since;
                    e.total = total;
                    e.commit();
                }
            }
        }
    }
}
