package io.vela.engine.counters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vela.engine.ComponentStats;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaException;
import io.vela.engine.VelaRuntime;
import io.vela.engine.channel.Channel;
import io.vela.engine.event.Subscription;
import io.vela.engine.event.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class CountersFileTest {
    @TempDir
    Path dir;

    private VelaConfig.Builder config() {
        return VelaConfig.builder().set(Settings.COUNTERS_DIR, dir.toString()).set(Settings.EXECUTOR_WORKERS, 2)
                .set(Settings.COUNTERS_SAMPLE_MS, 20L);
    }

    /** @return the file's counters by label (also used by {@link LiveCountersTest}) */
    static Map<String, Long> values(CountersFileReader reader) {
        return reader.snapshot().stream().collect(Collectors.toMap(CounterSample::label, CounterSample::value,
                (a, b) -> b));
    }

    private static long sum(CountersFileReader reader, String prefix, String metric) {
        return reader.snapshot().stream().filter(s -> s.label().startsWith(prefix) && s.metric().equals(metric))
                .mapToLong(CounterSample::value).sum();
    }

    @Test
    void anotherReaderSeesTheExecutorsCountersChangeAndTheFileGoesOnClose() {
        Path file;
        try (VelaRuntime vela = VelaRuntime.start(config().build())) {
            file = vela.counters().file().orElseThrow();
            assertThat(file.getParent()).isEqualTo(dir);
            assertThat(CountersDirectory.live(dir)).extracting(CountersDirectory.Entry::file).contains(file);
            try (CountersFileReader reader = CountersFileReader.open(file)) {
                assertThat(reader.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(reader.startMillis()).isLessThanOrEqualTo(System.currentTimeMillis());
                long before = sum(reader, "worker executor#", "completed");
                AtomicInteger ran = new AtomicInteger();
                Runnable task = ran::incrementAndGet;
                for (int i = 0; i < 5_000; i++) {
                    vela.executor().execute(task);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 5_000);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> sum(reader, "worker executor#", "completed") == before + 5_000);
                // stats() reads the same counters the file holds
                assertThat(vela.stats().executor().completed()).isEqualTo(before + 5_000);
                // the sampled ring totals follow
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> values(reader).getOrDefault("ring executor published", -1L) == 5_000);
                assertThat(values(reader)).containsEntry("ring executor capacity", 8192L);
            }
        }
        assertThat(file).doesNotExist();
        assertThat(CountersDirectory.live(dir)).isEmpty();
    }

    @Test
    void refusalsAndTimersAreCountedInTheFile() throws Exception {
        try (VelaRuntime vela = VelaRuntime.start(config().set(Settings.EXECUTOR_RING_SIZE, 2)
                .set(Settings.EXECUTOR_WORKERS, 1).set(Settings.EXECUTOR_OVERFLOW,
                        io.vela.engine.OverflowPolicy.FAIL_FAST).build());
                CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Runnable blocker = () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                if (vela.executor().tryExecute(blocker) != io.vela.engine.OfferResult.ACCEPTED) {
                    refused++;
                }
            }
            release.countDown();
            assertThat(refused).isPositive();
            assertThat(values(reader)).containsEntry("ring executor rejected", (long) refused);
            assertThat(vela.stats().executor().rejected()).isEqualTo(refused);
            vela.scheduler().schedule(() -> { }, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
            // the timer counts a firing after it handed the task over: the task (and its future) may finish first
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> values(reader).getOrDefault("ring timer completed", -1L) == 1L);
            assertThat(values(reader)).containsEntry("ring timer published", 1L)
                    .containsEntry("ring timer completed", 1L);
        }
    }

    @Test
    void topicsSubscribersChannelsAndComponentsAreSampledAndFreedWhenGone() {
        try (VelaRuntime vela = VelaRuntime.start(config().build());
                CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            Topic<long[]> topic = vela.events().topic("orders", () -> new long[1]);
            AtomicLong seen = new AtomicLong();
            Subscription sub = vela.events().subscriber(topic).name("audit").subscribe(e -> seen.incrementAndGet());
            for (long i = 0; i < 100; i++) {
                topic.publish((slot, v) -> slot[0] = v, i);
            }
            Channel<Integer> ch = vela.channels().<Integer>builder("jobs").capacity(16).build();
            ch.send(1);
            ch.send(2);
            AtomicLong requests = new AtomicLong(7);
            ComponentStats component = new ComponentStats() {
                @Override
                public String name() {
                    return "http:1234";
                }

                @Override
                public String describe() {
                    return "http:1234 requests " + requests.get();
                }

                @Override
                public void counters(java.util.function.ObjLongConsumer<String> sink) {
                    sink.accept("requests", requests.get());
                }
            };
            var registration = vela.registerStats(component);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(values(reader))
                    .containsEntry("topic orders published", 100L)
                    .containsEntry("subscriber orders/audit delivered", 100L)
                    .containsEntry("channel jobs sent", 2L)
                    .containsEntry("channel jobs depth", 2L)
                    .containsEntry("component http:1234 requests", 7L));
            requests.set(9);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(values(reader))
                    .containsEntry("component http:1234 requests", 9L));
            sub.close();
            registration.close();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(values(reader))
                    .doesNotContainKey("subscriber orders/audit delivered")
                    .doesNotContainKey("component http:1234 requests"));
        }
    }

    @Test
    void withTheFileOffCountersLiveOnTheHeapWithTheSameValues() {
        try (VelaRuntime vela = VelaRuntime.start(config().set(Settings.COUNTERS_FILE, false).build())) {
            assertThat(vela.counters().file()).isEmpty();
            assertThat(dir).isEmptyDirectory();
            vela.executor().submit(() -> 1).join();
            await().atMost(Duration.ofSeconds(5)).until(() -> vela.stats().executor().completed() == 1);
            long[] inBuffer = {0};
            vela.counters().reader().forEach((value, id, label) -> {
                if (label.startsWith("worker executor#") && label.endsWith(" completed")) {
                    inBuffer[0] += value;
                }
            });
            assertThat(inBuffer[0]).isEqualTo(1);
        }
    }

    @Test
    void aStaleFileOfADeadProcessIsDeletedAtStartAndNotListed() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long dead = p.pid();
        Path stale = dir.resolve("vela-" + dead + "-1.counters");
        Files.write(stale, new byte[256]);
        Path unrelated = dir.resolve("notes.txt");
        Files.writeString(unrelated, "keep me");
        assertThat(CountersDirectory.live(dir)).isEmpty();
        try (VelaRuntime vela = VelaRuntime.start(config().build())) {
            assertThat(stale).doesNotExist();
            assertThat(unrelated).exists();
            assertThat(CountersDirectory.live(dir)).hasSize(1);
        }
    }

    @Test
    void aReaderRefusesWhatIsNotACountersFile() throws Exception {
        Path junk = dir.resolve("vela-1-1.counters");
        Files.write(junk, new byte[4096]);
        assertThatThrownBy(() -> CountersFileReader.open(junk)).isInstanceOf(VelaException.class)
                .hasMessageContaining("not a Vela counters file");
        assertThatThrownBy(() -> CountersFileReader.open(dir.resolve("missing.counters")))
                .isInstanceOf(VelaException.class).hasMessageContaining("no counters file");
    }

    @Test
    void beyondTheCapacityCountersStillCountInProcess() {
        VelaCounters c = VelaCounters.inProcess(16);
        List<org.agrona.concurrent.status.AtomicCounter> all = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            var counter = c.newCounter(CounterTypes.CHANNEL, "c" + i, "sent");
            counter.increment();
            all.add(counter);
        }
        assertThat(all).allSatisfy(x -> assertThat(x.get()).isEqualTo(1));
        int[] n = {0};
        c.reader().forEach((value, id, label) -> n[0]++);
        assertThat(n[0]).isEqualTo(16);
        all.forEach(c::free);
        all.forEach(c::free); // idempotent
        n[0] = 0;
        c.reader().forEach((value, id, label) -> n[0]++);
        assertThat(n[0]).isZero();
    }
}
