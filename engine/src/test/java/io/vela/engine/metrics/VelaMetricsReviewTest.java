package io.vela.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The binder at and after the runtime's close. */
@Timeout(20)
class VelaMetricsReviewTest {
    private static VelaRuntime start() {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_FILE, false)
                .set(Settings.EXECUTOR_WORKERS, 1).set(Settings.COUNTERS_SAMPLE_MS, 10L).build());
    }

    /** A registry outlives the runtimes bound to it: a closed runtime's meters go, and the runtime with them. */
    @Test
    void closingTheRuntimeRemovesItsMetersAndLetsItBeCollected() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VelaRuntime vela = start();
        new VelaMetrics(vela).bindTo(registry);
        assertThat(registry.find("vela.ring.completed").meters()).isNotEmpty();
        vela.close();
        assertThat(registry.getMeters()).isEmpty();
        WeakReference<VelaRuntime> ref = new WeakReference<>(vela);
        vela = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return ref.get() == null;
        });
    }

    @Test
    void bindingAClosedRuntimeBindsNothing() {
        VelaRuntime vela = start();
        vela.close();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VelaMetrics metrics = new VelaMetrics(vela);
        metrics.bindTo(registry);
        metrics.refresh();
        assertThat(registry.getMeters()).isEmpty();
    }
}
