package io.vela.bench.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.WaitStrategy;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code batch} case's subjects (and the default one-by-one {@code publishBatch}) deliver every event of every
 * batch, and no more (order and exactly-once are the engine's {@code TopicBatchPublishTest}).
 */
class EventSubjectsBatchTest {
    private static final int ROUNDS = 50;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vela", "disruptor-raw", "vela-object"})
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void everyEventOfEveryBatchArrivesOnce(String subject) {
        Deliveries deliveries = new Deliveries(1, 1, null);
        Sender sender = new Sender(0);
        Sender[] batch = new Sender[SubjectState.BATCH];
        try (EventSubject s = create(subject, deliveries)) {
            for (int r = 0; r < ROUNDS; r++) {
                Arrays.fill(batch, sender);
                s.publishBatch(batch);
                sender.expected += batch.length;
                while (deliveries.count(0, 0) < sender.expected) {
                    Thread.onSpinWait();
                }
            }
        } // closed: Vela drains what it accepted, so an event delivered twice would show below
        assertThat(deliveries.count(0, 0)).isEqualTo((long) ROUNDS * SubjectState.BATCH);
    }

    private static EventSubject create(String subject, Deliveries d) {
        return switch (subject) {
            case "vela" -> new Subjects.Vela(1, 1, d, WaitStrategy.LITE_BLOCKING);
            case "disruptor-raw" -> new Subjects.DisruptorRaw(1, 1, d, WaitStrategy.LITE_BLOCKING);
            default -> new Subjects.VelaObject(1, 1, d);
        };
    }
}
