package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vela.engine.OfferResult;
import io.vela.engine.RingClosedException;
import io.vela.engine.ShutdownReport;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Type-hierarchy and filter routing, topics with translators, order, dead events, counters, lifecycle basics. */
class EventBusRoutingTest {
    interface Shape {
    }

    record Circle(int id) implements Shape {
    }

    record Square(int id) implements Shape {
    }

    static final class Tick {
        long instrument;
        long price;

        void set(long i, long p) {
            instrument = i;
            price = p;
        }
    }

    private final ExecutorService executor = Buses.executor();
    private final EventBus bus = Buses.bus(Buses.config(64).build(), executor);

    @AfterEach
    void tearDown() {
        bus.close();
        executor.shutdownNow();
    }

    @Test
    void shouldRouteBySupertypeInterfaceAndExactType() {
        List<Object> shapes = new CopyOnWriteArrayList<>();
        List<Object> circles = new CopyOnWriteArrayList<>();
        List<Object> objects = new CopyOnWriteArrayList<>();
        Subscription a = bus.subscribe(Shape.class, shapes::add);
        Subscription b = bus.subscribe(Circle.class, circles::add);
        Subscription c = bus.subscribe(Object.class, objects::add);
        bus.publish(new Circle(1));
        bus.publish(new Square(2));
        bus.publish("text");
        await().atMost(Duration.ofSeconds(5)).until(() -> objects.size() == 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> shapes.size() == 2 && circles.size() == 1);
        assertThat(shapes).containsExactly(new Circle(1), new Square(2));
        assertThat(circles).containsExactly(new Circle(1));
        assertThat(objects).containsExactly(new Circle(1), new Square(2), "text");
        assertThat(a.stats().delivered()).isEqualTo(2);
        assertThat(b.stats().delivered()).isEqualTo(1);
        assertThat(c.stats().delivered()).isEqualTo(3);
    }

    @Test
    void shouldApplyFilterOnConsumerSideAndCountFilteredOut() {
        List<Circle> big = new CopyOnWriteArrayList<>();
        Subscription s = bus.subscriber(Circle.class).name("big").filter(x -> x.id() >= 5).subscribe(big::add);
        for (int i = 0; i < 10; i++) {
            bus.publish(new Circle(i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> s.stats().delivered() + s.stats().filteredOut() == 10);
        assertThat(big).extracting(Circle::id).containsExactly(5, 6, 7, 8, 9);
        assertThat(s.stats().filteredOut()).isEqualTo(5);
        assertThat(s.name()).isEqualTo("big");
    }

    @Test
    void shouldDeliverInPublishOrderForOnePublisherAcrossRingWraps() {
        List<Integer> got = new CopyOnWriteArrayList<>();
        bus.subscribe(Integer.class, got::add);
        for (int i = 0; i < 10_000; i++) {
            bus.publish(i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(got.get(i)).isEqualTo(i);
        }
    }

    @Test
    void shouldPublishThroughTranslatorsIntoPreallocatedSlots() {
        Topic<Tick> ticks = bus.topic("ticks", Tick::new);
        assertThat(bus.topic("ticks", Tick::new)).isSameAs(ticks);
        List<Long> seen = new CopyOnWriteArrayList<>();
        Set<Tick> slots = ConcurrentHashMap.newKeySet();
        bus.subscribe(ticks, t -> {
            seen.add(t.instrument * 1000 + t.price);
            slots.add(t);
        });
        for (long i = 0; i < 200; i++) {
            bus.publish(ticks, Tick::set, i, 7L);
        }
        ticks.publish((t, x) -> t.set(x, 8), 500L);
        ticks.publish((t, x, y, z) -> t.set(x + y + z, 9), 1L, 2L, 3L);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 202);
        assertThat(seen.get(0)).isEqualTo(7);
        assertThat(seen.get(199)).isEqualTo(199_007);
        assertThat(seen.subList(200, 202)).containsExactly(500_008L, 6_009L);
        assertThat(slots).hasSizeLessThanOrEqualTo(64); // the ring's slots, reused: nothing allocated per event
        assertThat(ticks.stats().published()).isEqualTo(202);
    }

    @Test
    void shouldCountDeadEventsAndShowThemToTheDeadEventHandler() {
        List<Object> dead = new CopyOnWriteArrayList<>();
        bus.onDeadEvent((topic, e) -> dead.add(topic + ":" + e));
        bus.subscribe(Integer.class, x -> { });
        bus.publish(1);
        bus.publish("nobody");
        bus.publish(2L);
        await().atMost(Duration.ofSeconds(5)).until(() -> dead.size() == 2);
        assertThat(dead).containsExactly("default:nobody", "default:2");
        assertThat(bus.stats().get(0).dead()).isEqualTo(2);
        assertThat(bus.stats().get(0).published()).isEqualTo(3);
    }

    @Test
    void shouldShareOneConsumerThreadAmongSubscribers() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 5; i++) {
            bus.subscribe(String.class, s -> threads.add(Thread.currentThread().getName()));
        }
        bus.publish("x");
        await().atMost(Duration.ofSeconds(5)).until(() -> !threads.isEmpty()
                && bus.stats().get(0).subscribers() == 5);
        await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 1);
        assertThat(threads).containsExactly("test-events-default-0");
    }

    @Test
    void shouldStopDeliveringAfterCloseAndDeliverWhatCameBefore() throws Exception {
        List<Integer> got = new CopyOnWriteArrayList<>();
        Subscription s = bus.subscribe(Integer.class, got::add);
        for (int i = 0; i < 100; i++) {
            bus.publish(i);
        }
        s.close();
        for (int i = 100; i < 200; i++) {
            bus.publish(i);
        }
        s.terminated().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(got).hasSize(100);
        assertThat(s.isActive()).isFalse();
        assertThat(bus.stats().get(0).subscribers()).isZero();
    }

    @Test
    void shouldGiveANewSubscriberEveryEventPublishedAfterSubscribeReturned() {
        bus.subscribe(Integer.class, x -> { });
        for (int i = 0; i < 50; i++) {
            bus.publish(i);
        }
        List<Integer> late = new CopyOnWriteArrayList<>();
        bus.subscribe(Integer.class, late::add);
        for (int i = 50; i < 100; i++) {
            bus.publish(i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> late.size() >= 50);
        assertThat(late).startsWith(50).hasSize(50);
    }

    @Test
    void shouldRejectPublishAndSubscribeAfterCloseAndReportAFullDrain() {
        List<Integer> got = new CopyOnWriteArrayList<>();
        bus.subscribe(Integer.class, x -> {
            Thread.onSpinWait();
            got.add(x);
        });
        for (int i = 0; i < 1000; i++) {
            bus.publish(i);
        }
        ShutdownReport r = bus.shutdown(Duration.ofSeconds(10));
        assertThat(r.completed()).isTrue();
        assertThat(r.notRun()).isZero();
        assertThat(got).hasSize(1000);
        assertThatThrownBy(() -> bus.publish(1)).isInstanceOf(RingClosedException.class)
                .hasMessageContaining("default");
        assertThat(bus.tryPublish(1)).isEqualTo(OfferResult.CLOSED);
        assertThatThrownBy(() -> bus.subscribe(Integer.class, x -> { })).isInstanceOf(EventBusException.class);
        assertThat(bus.shutdown(Duration.ZERO)).isSameAs(r);
    }

    @Test
    void shouldRejectInvalidOptions() {
        Topic<Tick> ticks = bus.topic("plain", Tick::new);
        assertThatThrownBy(() -> bus.subscriber(ticks).lossy().subscribe(t -> { }))
                .isInstanceOf(EventBusException.class).hasMessageContaining("copier");
        assertThatThrownBy(() -> bus.subscriber(String.class).lossy().mode(DeliveryMode.OFFLOADED)
                .subscribe(t -> { })).isInstanceOf(EventBusException.class);
        assertThatThrownBy(() -> bus.subscriber(String.class).consumerThread(3).subscribe(t -> { }))
                .isInstanceOf(EventBusException.class).hasMessageContaining("consumer-threads");
        assertThatThrownBy(() -> bus.topic("default", Tick::new)).isInstanceOf(EventBusException.class);
    }
}
