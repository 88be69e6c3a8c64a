package io.vela.bench.strategies;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;

/** A {@link Target} on a {@link VelaRuntime} of its own, closed with it. */
abstract class RuntimeTarget implements Target {
    /** The target's runtime. */
    final VelaRuntime runtime;
    private final Recorder recorder = new Recorder();

    /**
     * @param config the runtime's settings; a watchdog-free runtime with one executor worker is the base
     */
    RuntimeTarget(VelaConfig.Builder config) {
        runtime = VelaRuntime.start(config
                .set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.WATCHDOG_STALL_MS, 0L)
                .set(Settings.THREAD_NAME_PREFIX, "strategies")
                .build());
    }

    @Override
    public final Recorder recorder() {
        return recorder;
    }

    @Override
    public final void close() {
        runtime.close();
    }
}
