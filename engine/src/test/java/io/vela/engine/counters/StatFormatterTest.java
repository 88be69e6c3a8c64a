package io.vela.engine.counters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatFormatterTest {
    private static String row(String text, String label) {
        String[] parts = label.split(" ");
        return text.lines().filter(l -> l.startsWith(parts[0] + " ") && l.contains(" " + parts[1] + " ")
                && l.contains(" " + parts[2] + " ")).findFirst().orElseThrow();
    }

    @Test
    void totalsGetARatePerSecondLevelsDoNot() {
        List<CounterSample> before = List.of(new CounterSample(0, CounterTypes.RING, "ring executor completed", 1000),
                new CounterSample(1, CounterTypes.RING, "ring executor free", 10),
                new CounterSample(2, CounterTypes.CHANNEL, "channel jobs sent", 5));
        List<CounterSample> after = List.of(new CounterSample(0, CounterTypes.RING, "ring executor completed", 4000),
                new CounterSample(1, CounterTypes.RING, "ring executor free", 3),
                // slot 2 freed and reused by another counter: no rate across owners
                new CounterSample(2, CounterTypes.TOPIC, "topic news published", 9));
        String text = StatFormatter.format(42, System.currentTimeMillis() - 61_000, before, after, 500_000_000L);
        assertThat(text).startsWith("Vela process 42").contains("(up 0:01:0");
        assertThat(row(text, "ring executor completed")).endsWith(" 4000         6000.0");
        assertThat(row(text, "ring executor free").strip()).endsWith(" 3");
        assertThat(row(text, "topic news published").strip()).endsWith(" 9");
    }

    @Test
    void aFirstSnapshotHasNoRates() {
        String text = StatFormatter.format(1, System.currentTimeMillis(), List.of(),
                List.of(new CounterSample(0, CounterTypes.WORKER, "worker executor#0 completed", 7)), 1_000_000_000L);
        assertThat(row(text, "worker executor#0 completed").strip()).endsWith(" 7");
    }

    @Test
    void namesWithSpacesKeepTheirOwnerAndMetric() {
        CounterSample s = new CounterSample(0, CounterTypes.COMPONENT, "component my server requests", 1);
        assertThat(s.owner()).isEqualTo("component my server");
        assertThat(s.metric()).isEqualTo("requests");
    }
}
