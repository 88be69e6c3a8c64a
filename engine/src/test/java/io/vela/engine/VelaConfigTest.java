package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class VelaConfigTest {

    @Test
    void defaultsAreValidAndDescribed() {
        VelaConfig c = VelaConfig.defaults();
        assertThat(c.get(Settings.EXECUTOR_RING_SIZE)).isEqualTo(8192);
        assertThat(c.get(Settings.EXECUTOR_OVERFLOW)).isEqualTo(OverflowPolicy.BLOCK);
        assertThat(c.source(Settings.EXECUTOR_RING_SIZE)).isEqualTo("default");
        assertThat(c.describe()).contains("vela.executor.ring-size", "8192", "(default)");
    }

    @Test
    void laterSourcesWinInDocumentedOrder() {
        Properties file = new Properties();
        file.setProperty("vela.executor.workers", "3");
        file.setProperty("executor.ring-size", "1024");
        file.setProperty("vela.timer.max-pending", "10");
        Properties sys = new Properties();
        sys.setProperty("vela.executor.workers", "5");
        sys.setProperty("java.version", "ignored");
        VelaConfig c = VelaConfig.builder()
                .properties(file)
                .environment(Map.of("VELA_EXECUTOR_WORKERS", "4", "VELA_TIMER_MAX_PENDING", "20", "PATH", "/bin"))
                .systemProperties(sys)
                .set(Settings.EXECUTOR_RING_SIZE, 64)
                .build();
        assertThat(c.get(Settings.EXECUTOR_WORKERS)).isEqualTo(5);
        assertThat(c.source(Settings.EXECUTOR_WORKERS)).isEqualTo("system property vela.executor.workers");
        assertThat(c.get(Settings.TIMER_MAX_PENDING)).isEqualTo(20);
        assertThat(c.source(Settings.TIMER_MAX_PENDING)).isEqualTo("env VELA_TIMER_MAX_PENDING");
        assertThat(c.get(Settings.EXECUTOR_RING_SIZE)).isEqualTo(64);
        assertThat(c.source(Settings.EXECUTOR_RING_SIZE)).isEqualTo("code");
    }

    @Test
    void invalidValueNamesKeyValueAndValidRange() {
        assertThatThrownBy(() -> VelaConfig.builder().set("executor.ring-size", "1000").build())
                .isInstanceOf(VelaConfigException.class)
                .hasMessageContaining("executor.ring-size")
                .hasMessageContaining("1000")
                .hasMessageContaining("a power of two in [2, 67108864]");
    }

    @Test
    void unparsableValueNamesKeyValueAndValidValues() {
        assertThatThrownBy(() -> VelaConfig.builder().set("vela.executor.wait-strategy", "spinny").build())
                .isInstanceOf(VelaConfigException.class)
                .hasMessageContaining("executor.wait-strategy = 'spinny'")
                .hasMessageContaining("busy-spin, yielding, phased-backoff, sleeping, lite-blocking, blocking");
    }

    @Test
    void agentOnlyStrategyOnARingIsRejected() {
        assertThatThrownBy(() -> VelaConfig.builder().set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.NO_OP).build())
                .hasMessageContaining("executor.wait-strategy = no-op is invalid");
        assertThatThrownBy(() -> VelaConfig.builder().set("timer.idle-strategy", "blocking").build())
                .hasMessageContaining("timer.idle-strategy = blocking is invalid; valid: auto, busy-spin, no-op,"
                        + " yielding, backoff, sleeping");
    }

    @Test
    void allProblemsAreReportedTogether() {
        Properties p = new Properties();
        p.setProperty("vela.executor.workers", "0");
        p.setProperty("vela.timer.overflow", "caller-runs");
        p.setProperty("vela.executor.worker", "2");
        VelaConfigException e = (VelaConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> VelaConfig.builder().properties(p).build());
        assertThat(e.problems()).hasSize(3);
        assertThat(e.getMessage())
                .contains("executor.workers = 0 is invalid; valid: an integer in [1, 1024]")
                .contains("timer.overflow = caller-runs is invalid; valid: block, block-timeout, fail-fast")
                .contains("unknown key vela.executor.worker", "did you mean vela.executor.workers?");
    }

    @Test
    void autoWaitStrategyDoesNotSpinOnTwoCores() {
        assertThat(WaitStrategy.spinBudget(2)).isZero();
        assertThat(WaitStrategy.AUTO.resolve(WaitStrategy.spinBudget(2), 1)).isEqualTo(WaitStrategy.LITE_BLOCKING);
        assertThat(WaitStrategy.AUTO.resolve(WaitStrategy.spinBudget(8), 3)).isEqualTo(WaitStrategy.YIELDING);
        assertThat(WaitStrategy.AUTO.resolve(WaitStrategy.spinBudget(8), 4)).isEqualTo(WaitStrategy.LITE_BLOCKING);
        // channels wait in their own pause: spin, yield, then park
        assertThat(WaitStrategy.AUTO.resolveForChannel(WaitStrategy.spinBudget(2), 1)).isEqualTo(WaitStrategy.SLEEPING);
        assertThat(WaitStrategy.AUTO.resolveForChannel(WaitStrategy.spinBudget(8), 3))
                .isEqualTo(WaitStrategy.YIELDING);
        assertThat(WaitStrategy.BUSY_SPIN.resolve(0, 8)).isEqualTo(WaitStrategy.BUSY_SPIN);
    }

    @Test
    void everyStrategyBuildsWhereItIsValid() {
        for (WaitStrategy w : WaitStrategy.values()) {
            if (w == WaitStrategy.AUTO) {
                continue;
            }
            if (w.forRings()) {
                assertThat(w.newRingStrategy()).isNotNull();
            } else {
                assertThatThrownBy(w::newRingStrategy).hasMessageContaining("cannot drive a ring");
            }
            if (w.forAgents()) {
                assertThat(w.newIdleStrategy()).isNotNull();
            } else {
                assertThatThrownBy(w::newIdleStrategy).hasMessageContaining("cannot drive an agent");
            }
        }
    }
}
