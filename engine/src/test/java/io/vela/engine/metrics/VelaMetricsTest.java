package io.vela.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.channel.Channel;
import io.vela.engine.event.Subscription;
import io.vela.engine.event.Topic;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class VelaMetricsTest {
    private static VelaRuntime start() {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_FILE, false)
                .set(Settings.EXECUTOR_WORKERS, 2).set(Settings.COUNTERS_SAMPLE_MS, 10L).build());
    }

    @Test
    void ringCountersAreFunctionCountersReadAtScrapeTime() {
        try (VelaRuntime vela = start()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new VelaMetrics(vela, Tags.of("app", "test")).bindTo(registry);
            FunctionCounter workerCompleted = registry.get("vela.worker.completed")
                    .tags("worker", "executor#0", "app", "test").functionCounter();
            assertThat(registry.find("vela.worker.completed").functionCounters()).hasSize(2);
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 1000; i++) {
                vela.executor().execute(ran::incrementAndGet);
            }
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> ran.get() == 1000);
            // no refresh, no rebinding: the counters are read when scraped
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> registry.find("vela.worker.completed")
                    .functionCounters().stream().mapToDouble(FunctionCounter::count).sum() == 1000);
            assertThat(workerCompleted.count()).isBetween(0.0, 1000.0);
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> registry.get("vela.ring.published")
                    .tags("ring", "executor").functionCounter().count() == 1000);
            assertThat(registry.get("vela.ring.rejected").tags("ring", "executor").functionCounter().count())
                    .isZero();
            Gauge capacity = registry.get("vela.ring.capacity").tags("ring", "executor").gauge();
            assertThat(capacity.value()).isEqualTo(8192);
            assertThat(registry.get("vela.ring.free").tags("ring", "timer").gauge().value()).isEqualTo(65_536);
            assertThat(registry.get("vela.pool.threads").tags("pool", "blocking").gauge()).isNotNull();
        }
    }

    @Test
    void topicsSubscribersAndChannelsAreBoundOnRefreshAndRemovedWhenGone() {
        try (VelaRuntime vela = start()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            VelaMetrics metrics = new VelaMetrics(vela);
            metrics.bindTo(registry);
            assertThat(registry.find("vela.topic.published").meters()).isEmpty();

            Topic<long[]> topic = vela.events().topic("prices", () -> new long[1]);
            Subscription sub = vela.events().subscriber(topic).name("book").subscribe(e -> { });
            for (long i = 0; i < 50; i++) {
                topic.publish((slot, v) -> slot[0] = v, i);
            }
            Channel<String> ch = vela.channels().<String>builder("work").capacity(8).build();
            ch.send("a");
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
                metrics.refresh();
                assertThat(registry.get("vela.topic.published").tags("topic", "prices").functionCounter().count())
                        .isEqualTo(50);
                assertThat(registry.get("vela.subscriber.delivered").tags("topic", "prices", "subscriber", "book")
                        .functionCounter().count()).isEqualTo(50);
                assertThat(registry.get("vela.subscriber.lag").tags("topic", "prices", "subscriber", "book")
                        .gauge().value()).isZero();
                assertThat(registry.get("vela.channel.sent").tags("channel", "work").functionCounter().count())
                        .isEqualTo(1);
                assertThat(registry.get("vela.channel.depth").tags("channel", "work").gauge().value())
                        .isEqualTo(1);
            });
            sub.close();
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
                metrics.refresh();
                assertThat(registry.find("vela.subscriber.delivered").meters()).isEmpty();
            });
            assertThat(registry.find("vela.topic.published").meters()).hasSize(1);
        }
    }

    @Test
    void namesAndTagsFollowTheLabels() {
        assertThat(VelaMetrics.meterName(io.vela.engine.counters.CounterTypes.RING, "ring executor largest-batch"))
                .isEqualTo("vela.ring.largest.batch");
        assertThat(VelaMetrics.tags(io.vela.engine.counters.CounterTypes.SUBSCRIBER, "subscriber a/b c/d delivered"))
                .isEqualTo(Tags.of("topic", "a", "subscriber", "b c/d"));
        assertThat(VelaMetrics.tags(io.vela.engine.counters.CounterTypes.COMPONENT, "component http:80 requests"))
                .isEqualTo(Tags.of("component", "http:80"));
    }
}
