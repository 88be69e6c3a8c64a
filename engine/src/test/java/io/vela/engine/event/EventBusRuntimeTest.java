package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.RingClosedException;
import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaRuntime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bus as {@code runtime.events()}: offloaded handlers on the runtime's executor, closed before it. */
class EventBusRuntimeTest {

    @Test
    void shouldDrainTheBusWhenTheRuntimeCloses() {
        VelaRuntime rt = VelaRuntime.start(Buses.config(128).set(Settings.EXECUTOR_WORKERS, 1).build());
        EventBus bus = rt.events();
        assertThat(rt.events()).isSameAs(bus);
        AtomicLong inline = new AtomicLong();
        AtomicLong offloaded = new AtomicLong();
        Set<String> offloadThreads = ConcurrentHashMap.newKeySet();
        bus.subscribe(Long.class, x -> inline.incrementAndGet());
        bus.subscriber(Long.class).mode(DeliveryMode.OFFLOADED).subscribe(x -> {
            offloadThreads.add(Thread.currentThread().getName());
            offloaded.incrementAndGet();
        });
        for (long i = 0; i < 20_000; i++) {
            bus.publish(i);
        }
        rt.close();
        List<ShutdownReport> reports = rt.shutdownReports();
        assertThat(reports).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("events");
            assertThat(r.completed()).isTrue();
        });
        assertThat(inline.get()).isEqualTo(20_000);
        assertThat(offloaded.get()).isEqualTo(20_000);
        assertThat(offloadThreads).allMatch(n -> n.startsWith("test-") && !n.contains("events"));
        assertThatThrownBy(() -> bus.publish(1L)).isInstanceOf(RingClosedException.class);
    }

    @Test
    void shouldRefuseToStartABusOnAClosedRuntime() {
        VelaRuntime rt = VelaRuntime.start(Buses.config(64).build());
        rt.close();
        assertThatThrownBy(rt::events).isInstanceOf(EventBusException.class);
    }
}
