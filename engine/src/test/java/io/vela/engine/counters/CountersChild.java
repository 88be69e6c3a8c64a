package io.vela.engine.counters;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The other process of {@link CountersChildProcessTest}: runs tasks on a runtime whose counters file is in the
 * directory given as its argument until its standard input closes (or it is killed).
 */
public final class CountersChild {
    private CountersChild() {
    }

    /**
     * @param args the counters directory
     * @throws Exception never expected
     */
    public static void main(String[] args) throws Exception {
        try (VelaRuntime vela = VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_DIR, args[0])
                .set(Settings.EXECUTOR_WORKERS, 1).set(Settings.COUNTERS_SAMPLE_MS, 20L).build())) {
            AtomicLong ran = new AtomicLong();
            Runnable task = ran::incrementAndGet;
            Thread feeder = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    vela.executor().execute(task);
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                }
            });
            feeder.setDaemon(true);
            feeder.start();
            while (System.in.read() >= 0) {
                // until the parent closes our input
            }
            feeder.interrupt();
        }
    }
}
