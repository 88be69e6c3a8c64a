package io.vela.engine.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.WaitStrategy;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.Topic;
import io.vela.engine.event.TopicOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A multi-publisher topic whose publisher stalls between its claim and its publish (a slow translator, or a thread
 * descheduled there) while a later slot is published: the claim cursor is past the consumer's next slot, so every
 * wait strategy's {@code waitFor} returns at once with nothing published for it. The consumer spun on that at
 * 100% of a core (296 ms of CPU in 300 ms under {@code blocking}); it must back off, and still deliver both events,
 * in slot order, once the stalled publisher publishes.
 */
@Timeout(30)
class StalledClaimReviewTest {
    static final class Slot {
        long n;
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "LITE_BLOCKING", "SLEEPING"})
    void aConsumerBehindAStalledClaimDoesNotSpin(WaitStrategy wait) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadCpuTimeSupported());
        EventBus bus = RaceBus.create(Runnable::run, "stalled-claim-consumer", wait);
        try {
            Topic<Slot> topic = bus.topic("stalled", TopicOptions.of(Slot::new));
            AtomicLong seen = new AtomicLong();
            AtomicLong disorder = new AtomicLong();
            bus.subscribe(topic, s -> {
                if (s.n != seen.get() + 1) {
                    disorder.incrementAndGet();
                }
                seen.set(s.n);
            });
            CountDownLatch inTranslator = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread slow = new Thread(() -> topic.publish((s, v) -> {
                inTranslator.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                s.n = v;
            }, 1L), "stalled-publisher");
            slow.setDaemon(true);
            slow.start();
            assertThat(inTranslator.await(5, TimeUnit.SECONDS)).isTrue();
            topic.publish((s, v) -> s.n = v, 2L); // published behind the stalled claim
            Thread consumer = ((TopicImpl<?>) topic).ring.consumers[0].thread();
            Thread.sleep(20); // past the consumer's spins
            long cpu0 = mx.getThreadCpuTime(consumer.getId());
            long wall0 = System.nanoTime();
            Thread.sleep(300);
            long cpu = mx.getThreadCpuTime(consumer.getId()) - cpu0;
            long wall = System.nanoTime() - wall0;
            release.countDown();
            slow.join(5_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (seen.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(seen.get()).as("both events delivered once the claim is published").isEqualTo(2);
            assertThat(disorder.get()).isZero();
            assertThat(cpu).as("consumer CPU (ns) over %d ns behind a stalled claim", wall).isLessThan(wall / 4);
        } finally {
            bus.shutdown(Duration.ofSeconds(2));
        }
    }
}
