package io.vela.bench.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both subjects of suite {@code actors} do what the cases measure: every told message is processed once, and the
 * round-trip cases time real round trips.
 */
class ActorSubjectsTest {
    private static final int PER_SENDER = 20_000;
    private static final int WINDOW = 1_000;
    private static final long WARM = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MEASURE = TimeUnit.MILLISECONDS.toNanos(300);

    /** One thread per task: the common pool may have fewer threads than the test's blocking tasks. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static TellSubject.Factory tell(String subject) {
        return subject.equals("vela") ? VelaActorSubjects::tell : PekkoSubjects::tell;
    }

    @ParameterizedTest
    @ValueSource(strings = {"vela", "pekko"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void everyToldMessageIsProcessedOnceFromTwoSenders(String subject) throws Exception {
        Tally tally = new Tally(2);
        try (TellSubject s = tell(subject).create(ActorTopology.FANIN, 2, tally)) {
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (int sender = 0; sender < 2; sender++) {
                int me = sender;
                senders.add(CompletableFuture.runAsync(() -> {
                    for (int i = 1; i <= PER_SENDER; i++) {
                        s.tell(me);
                        while (tally.count(me) < i - WINDOW) {
                            Thread.yield();
                        }
                    }
                }, threads));
            }
            for (CompletableFuture<Void> f : senders) {
                f.get(20, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((tally.count(0) < PER_SENDER || tally.count(1) < PER_SENDER) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(50); // a duplicate would show up after the last expected count
            assertThat(tally.count(0)).isEqualTo(PER_SENDER);
            assertThat(tally.count(1)).isEqualTo(PER_SENDER);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vela", "pekko"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void pingPongAndAskTimeRoundTrips(String subject) throws Exception {
        Histogram pingPong = subject.equals("vela")
                ? VelaActorSubjects.pingPong(ActorTopology.PINGPONG, WARM, MEASURE)
                : PekkoSubjects.pingPong(ActorTopology.PINGPONG, WARM, MEASURE);
        Histogram ask = subject.equals("vela")
                ? VelaActorSubjects.ask(ActorTopology.ASK, WARM, MEASURE)
                : PekkoSubjects.ask(ActorTopology.ASK, WARM, MEASURE);
        for (Histogram h : List.of(pingPong, ask)) {
            assertThat(h.getTotalCount()).isPositive();
            assertThat(h.getValueAtPercentile(50)).isPositive();
            // a round trip cannot be longer than the measured period it was recorded in (plus one late answer)
            assertThat(h.getMaxValue()).isLessThan(MEASURE + TimeUnit.SECONDS.toNanos(5));
        }
    }
}
