package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Vela's JFR events, recorded and read back. */
@Timeout(30)
class JfrEventsTest {
    @TempDir
    Path dir;

    private static List<RecordedEvent> named(List<RecordedEvent> all, String name) {
        return all.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    @Test
    void stallsRateLimitedRejectionsAndShutdownReportsAreRecorded() throws Exception {
        Path dump = dir.resolve("vela.jfr");
        long refused = 0;
        try (Recording recording = new Recording()) {
            recording.enable("io.vela.Stall");
            recording.enable("io.vela.Rejection");
            recording.enable("io.vela.Shutdown");
            recording.start();
            CountDownLatch release = new CountDownLatch(1);
            try (VelaRuntime vela = VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_FILE, false)
                    .set(Settings.EXECUTOR_WORKERS, 1).set(Settings.EXECUTOR_RING_SIZE, 2)
                    .set(Settings.WATCHDOG_STALL_MS, 50L).set(Settings.WATCHDOG_GRACE_MS, 0L).build())) {
                vela.executor().execute(() -> {
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                // a burst of refusals (ring of 2 behind a stuck worker): many refused, few events
                for (int i = 0; i < 10_000; i++) {
                    if (vela.executor().tryExecute(() -> { }) != OfferResult.ACCEPTED) {
                        refused++;
                    }
                }
                Thread.sleep(400); // the watchdog sees the stall
                release.countDown();
            }
            recording.stop();
            recording.dump(dump);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(dump);
        List<RecordedEvent> stalls = named(events, "io.vela.Stall");
        assertThat(stalls).isNotEmpty();
        assertThat(stalls.get(0).getString("ring")).isEqualTo("executor");
        assertThat(stalls.get(0).getDuration("stuck")).isGreaterThanOrEqualTo(Duration.ofMillis(50));

        List<RecordedEvent> rejections = named(events, "io.vela.Rejection");
        assertThat(refused).isGreaterThan(100);
        assertThat(rejections).isNotEmpty().hasSizeLessThan(20); // 10 000 refusals in well under 2 s
        long sum = rejections.stream().mapToLong(e -> e.getLong("refused")).sum();
        assertThat(sum).isPositive().isLessThanOrEqualTo(refused);
        assertThat(rejections.get(0).getString("ring")).isEqualTo("executor");
        RecordedEvent last = rejections.get(rejections.size() - 1);
        assertThat(last.getLong("total")).isEqualTo(sum); // each event carries the refusals since the previous

        List<RecordedEvent> shutdown = named(events, "io.vela.Shutdown");
        assertThat(shutdown).extracting(e -> e.getString("part")).contains("executor", "timer");
    }

    @Test
    void aLossySubscriberFallingBehindIsRecordedRateLimited() throws Exception {
        Path dump = dir.resolve("lossy.jfr");
        long dropped;
        try (Recording recording = new Recording()) {
            recording.enable("io.vela.LossyDrop");
            recording.start();
            try (VelaRuntime vela = VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_FILE, false)
                    .set(Settings.EVENTS_RING_SIZE, 16).build())) {
                CountDownLatch release = new CountDownLatch(1);
                io.vela.engine.event.Subscription slow = vela.events().subscriber(Integer.class).name("slow")
                        .lossy().subscribe(x -> {
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                for (int i = 0; i < 2_000; i++) {
                    vela.events().publish(i);
                }
                release.countDown();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> slow.stats().delivered() + slow.stats().dropped() == 2_000);
                dropped = slow.stats().dropped();
            }
            recording.stop();
            recording.dump(dump);
        }
        assertThat(dropped).isPositive();
        List<RecordedEvent> drops = named(RecordingFile.readAllEvents(dump), "io.vela.LossyDrop");
        assertThat(drops).isNotEmpty().hasSizeLessThan(50);
        assertThat(drops.get(0).getString("subscription")).isEqualTo("slow");
        long sum = drops.stream().mapToLong(e -> e.getLong("dropped")).sum();
        assertThat(sum).isPositive().isLessThanOrEqualTo(dropped);
        assertThat(drops.get(drops.size() - 1).getLong("total")).isEqualTo(sum);
    }
}
