package io.vela.engine.counters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Review of issue #13's labels: Agrona keeps at most 380 bytes of UTF-8; a long name is cut, never the metric. */
@Timeout(5)
class CountersLabelReviewTest {

    @Test
    void aLongNonAsciiNameIsCutInBytesKeepingTheMetricAndWholeCharacters() {
        try (VelaCounters counters = VelaCounters.inProcess(16)) {
            String name = "Bestellungen-\u00fcber-\u20ac-".repeat(40); // 2- and 3-byte characters, ~840 bytes
            AtomicCounter c = counters.newCounter(CounterTypes.CHANNEL, name, "refused");
            String label = counters.reader().getCounterLabel(c.id());
            assertThat(label).startsWith("channel Bestellungen-\u00fcber-\u20ac-").endsWith(" refused");
            assertThat(label.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(
                    CountersReader.MAX_LABEL_LENGTH);
            assertThat(label).doesNotContain("\ufffd"); // no character cut in half
            String kept = label.substring("channel ".length(), label.length() - " refused".length());
            assertThat(name).startsWith(kept);
        }
    }

    @Test
    void aNameOfSurrogatePairsIsNotCutBetweenAPairsHalves() {
        try (VelaCounters counters = VelaCounters.inProcess(16)) {
            String name = "\ud83d\ude80".repeat(200); // rockets: 4 bytes, 2 chars each
            AtomicCounter c = counters.newCounter(CounterTypes.TOPIC, name, "dead");
            String label = counters.reader().getCounterLabel(c.id());
            assertThat(label).startsWith("topic \ud83d\ude80").endsWith(" dead").doesNotContain("\ufffd", "?");
            assertThat(label.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(
                    CountersReader.MAX_LABEL_LENGTH);
        }
    }

    @Test
    void aMetricLongerThanTheLabelIsCutRatherThanRefused() {
        try (VelaCounters counters = VelaCounters.inProcess(16)) {
            AtomicCounter c = counters.newCounter(CounterTypes.COMPONENT, "http:8080", "m".repeat(500));
            c.getAndAdd(3);
            assertThat(counters.reader().getCounterLabel(c.id())).startsWith("component ");
            assertThat(c.get()).isEqualTo(3);
        }
    }
}
