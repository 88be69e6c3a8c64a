package io.vela.bench.strategies;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.WaitStrategy;

/**
 * Vela's ring executor with one worker under the given wait strategy, fed prebuilt probes (nothing is allocated per
 * task): submit-to-run latency. A probe is reused only once the worker has run it.
 */
final class ExecutorTarget extends RuntimeTarget {
    private static final int POOL = 1 << 16;
    private final Probe[] probes = new Probe[POOL];
    private long sent;

    ExecutorTarget(WaitStrategy wait) {
        super(VelaConfig.builder().set(Settings.EXECUTOR_WAIT_STRATEGY, wait));
        for (int i = 0; i < POOL; i++) {
            probes[i] = new Probe(recorder());
        }
    }

    @Override
    public void send(long intendedNanos) {
        while (sent >= POOL && recorder().handled() <= sent - POOL) {
            Thread.onSpinWait(); // this probe is still in flight from the previous lap
        }
        Probe p = probes[(int) (sent & (POOL - 1))];
        p.intendedNanos = intendedNanos;
        runtime.executor().execute(p);
        sent++;
    }

    /** A reusable task that reports how late it ran. */
    private static final class Probe implements Runnable {
        private final Recorder recorder;
        long intendedNanos;

        Probe(Recorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public void run() {
            recorder.handle(intendedNanos);
        }
    }
}
