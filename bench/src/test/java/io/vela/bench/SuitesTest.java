package io.vela.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.bench.cli.JmhSettings;
import io.vela.bench.cli.Suite;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuitesTest {

    @Test
    void theActorAndChannelSuitesAreSelectableByNameAndNamesAreUnique() {
        List<String> names = Suites.all().stream().map(Suite::name).toList();
        assertThat(names).contains("channels", "actors").doesNotHaveDuplicates();
    }

    @Test
    void aThreadCountSurvivesTheOtherSettingsChanges() {
        JmhSettings s = JmhSettings.quick().withThreads(2).withWarmup(1, 1).withMeasurement(2, 1).withForks(3);
        assertThat(s).isEqualTo(new JmhSettings(3, 1, 1, 2, 1, 2));
        assertThat(JmhSettings.quick().threads()).as("0: the class's @Threads").isZero();
    }
}
