package io.vela.engine.counters;

import static org.awaitility.Awaitility.await;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Review of issue #13's sampler: user components are user code, whatever they throw. */
@Timeout(20)
class CountersSamplerReviewTest {
    @TempDir
    Path dir;

    /**
     * An {@code Error} from a component (an {@code assert} in its code, a class that failed to load) must cost only
     * its own counters, as an exception does: the components after it are sampled and the counters of things gone
     * are freed.
     */
    @Test
    void aComponentThrowingAnErrorDoesNotHideTheOthersNorKeepTheCountersOfThingsGone() {
        try (VelaRuntime vela = VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_DIR, dir.toString())
                .set(Settings.EXECUTOR_WORKERS, 1).set(Settings.COUNTERS_SAMPLE_MS, 5L).build());
                CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            vela.registerStats(CountersReviewTest.component("broken", sink -> {
                throw new AssertionError("an assert in the component's code");
            }));
            var healthy = vela.registerStats(CountersReviewTest.component("healthy", sink -> sink.accept("requests", 42)));
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.snapshot().stream()
                    .anyMatch(s -> s.label().equals("component healthy requests") && s.value() == 42));
            healthy.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.snapshot().stream()
                    .noneMatch(s -> s.label().startsWith("component healthy")));
        }
    }
}
