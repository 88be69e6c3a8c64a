package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ShutdownParticipantTest {

    private static VelaRuntime runtime() {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).build());
    }

    @Test
    void participantsStopFirstNewestFirstWhileTheExecutorStillRuns() {
        List<String> order = new CopyOnWriteArrayList<>();
        VelaRuntime rt = runtime();
        rt.addShutdownParticipant(d -> {
            order.add("first-registered:" + rt.executor().submit(() -> "ran").join());
            return new ShutdownReport("a", true, 0, Duration.ZERO);
        });
        rt.addShutdownParticipant(d -> {
            order.add("second-registered");
            return new ShutdownReport("b", false, 3, Duration.ZERO);
        });
        rt.close();
        assertThat(order).containsExactly("second-registered", "first-registered:ran");
        assertThat(rt.shutdownReports()).extracting(ShutdownReport::name).startsWith("b", "a");
        assertThat(rt.shutdownReports().get(0).notRun()).isEqualTo(3);
    }

    @Test
    void aRemovedParticipantIsNotCalledAndAClosedRuntimeRefusesNewOnes() {
        List<String> called = new CopyOnWriteArrayList<>();
        VelaRuntime rt = runtime();
        rt.addShutdownParticipant(d -> {
            called.add("x");
            return new ShutdownReport("x", true, 0, Duration.ZERO);
        }).close();
        rt.close();
        assertThat(called).isEmpty();
        assertThatThrownBy(() -> rt.addShutdownParticipant(d -> null)).isInstanceOf(RingClosedException.class);
    }

    @Test
    void componentStatsAreCarriedUntilRemoved() {
        try (VelaRuntime rt = runtime()) {
            ComponentStats c = new ComponentStats() {
                @Override
                public String name() {
                    return "thing";
                }

                @Override
                public String describe() {
                    return "thing counters\n";
                }
            };
            ShutdownParticipant.Registration reg = rt.registerStats(c);
            assertThat(rt.stats().component("thing")).containsSame(c);
            assertThat(rt.stats().describe()).contains("thing counters");
            reg.close();
            assertThat(rt.stats().component("thing")).isEmpty();
            assertThat(rt.stats().components()).isEmpty();
        }
    }
}
