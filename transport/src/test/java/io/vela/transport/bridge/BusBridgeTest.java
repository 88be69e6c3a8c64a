package io.vela.transport.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.event.EventBus;
import io.vela.transport.codec.Tick;
import io.vela.transport.codec.WireMessageCodec;
import io.vela.transport.ipc.BroadcastPublisher;
import io.vela.transport.ipc.BroadcastSubscriber;
import io.vela.transport.ipc.IpcBroadcast;
import io.vela.transport.ipc.IpcChannel;
import io.vela.transport.ipc.IpcReader;
import io.vela.transport.ipc.IpcWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BusBridgeTest {
    @TempDir
    Path dir;
    private VelaRuntime runtime;
    private EventBus bus;

    @BeforeEach
    void start() {
        runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EVENTS_RING_SIZE, 1024).build());
        bus = runtime.events();
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private static WireMessageCodec codec() {
        return WireMessageCodec.builder().register(Tick.class, 8).build();
    }

    private static Tick tick(int seq) {
        return new Tick(1, seq, seq, seq, seq);
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(1);
        }
    }

    @Test
    void busEventsReachTheRingInOrder() throws Exception {
        IpcChannel ch = IpcChannel.builder(dir.resolve("out")).capacity(1 << 16).build();
        try (IpcWriter w = ch.writer(codec()); IpcReader r = ch.reader(codec());
             OutboundBridge out = BusBridge.outbound(bus, Tick.class, w).start()) {
            for (int i = 0; i < 1_000; i++) {
                bus.publish(tick(i));
            }
            List<Object> got = new ArrayList<>();
            await(() -> {
                r.poll(got::add, 256);
                return got.size() == 1_000;
            }, "1000 messages");
            for (int i = 0; i < 1_000; i++) {
                assertEquals(tick(i), got.get(i));
            }
            assertEquals(1_000, out.forwardedCount());
            assertEquals(0, out.droppedCount());
        }
    }

    @Test
    void ringMessagesArriveOnTheBusInOrder() throws Exception {
        IpcChannel ch = IpcChannel.builder(dir.resolve("in")).capacity(1 << 16).build();
        CopyOnWriteArrayList<Tick> got = new CopyOnWriteArrayList<>();
        bus.subscribe(Tick.class, got::add);
        try (IpcWriter w = ch.writer(codec()); IpcReader r = ch.reader(codec());
             InboundBridge in = BusBridge.inbound(r, bus).start()) {
            for (int i = 0; i < 1_000; i++) {
                w.send(tick(i));
            }
            await(() -> got.size() == 1_000, "1000 events");
            for (int i = 0; i < 1_000; i++) {
                assertEquals(tick(i), got.get(i));
            }
            assertEquals(1_000, in.publishedCount());
            assertEquals(0, in.droppedCount());
        }
    }

    @Test
    void aFullRingUnderFailFastDropsAndCountsAndEveryEventIsForwardedOrDropped() throws Exception {
        IpcChannel ch = IpcChannel.builder(dir.resolve("full")).capacity(4096).build(); // no reader: fills
        int n = 2_000;
        try (IpcWriter w = ch.writer(codec());
             OutboundBridge out = BusBridge.outbound(bus, Tick.class, w).overflow(OverflowPolicy.FAIL_FAST).start()) {
            for (int i = 0; i < n; i++) {
                bus.publish(tick(i));
            }
            await(() -> out.forwardedCount() + out.droppedCount() == n, "every event accounted");
            assertTrue(out.droppedCount() > 0, "nothing dropped");
            try (IpcReader r = ch.reader(codec())) {
                List<Object> got = new ArrayList<>();
                while (r.poll(got::add, 256) > 0) {
                    // drain
                }
                assertEquals(out.forwardedCount(), got.size());
                for (int i = 0; i < got.size(); i++) {
                    assertEquals(tick(i), got.get(i), "the first ones fit, in order");
                }
            }
        }
    }

    @Test
    void blockTimeoutWaitsForTheReaderThenDrops() throws Exception {
        IpcChannel ch = IpcChannel.builder(dir.resolve("bt")).capacity(4096).build();
        try (IpcWriter w = ch.writer(codec());
             OutboundBridge out = BusBridge.outbound(bus, Tick.class, w).overflow(OverflowPolicy.BLOCK_TIMEOUT)
                     .blockTimeout(java.time.Duration.ofMillis(5)).start()) {
            for (int i = 0; i < 100; i++) {
                bus.publish(tick(i));
            }
            await(() -> out.forwardedCount() + out.droppedCount() == 100, "every event accounted");
            assertTrue(out.droppedCount() > 0);
        }
        assertThrows(IllegalArgumentException.class,
                () -> BusBridge.outbound(bus, Tick.class, m -> null).overflow(OverflowPolicy.CALLER_RUNS));
    }

    @Test
    void aBroadcastBridgesBothWays() throws Exception {
        IpcBroadcast b = IpcBroadcast.of(dir.resolve("bc"), 1 << 16);
        CopyOnWriteArrayList<Object> got = new CopyOnWriteArrayList<>();
        try (BroadcastSubscriber s = b.subscriber(codec()); BroadcastPublisher p = b.publisher(codec());
             OutboundBridge out = BusBridge.outbound(bus, Tick.class, p).start()) {
            List<Object> seen = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                bus.publish(tick(i));
            }
            await(() -> {
                s.poll(seen::add, 256);
                return seen.size() == 100;
            }, "100 broadcast messages");
            assertEquals(tick(99), seen.get(99));
        }
        // and from a broadcast into another runtime's bus
        try (VelaRuntime other = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).build());
             BroadcastSubscriber s = b.subscriber(codec()); BroadcastPublisher p = b.publisher(codec())) {
            other.events().subscribe(Tick.class, got::add);
            try (InboundBridge in = BusBridge.inbound(s, other.events()).start()) {
                for (int i = 0; i < 100; i++) {
                    p.offer(tick(i));
                }
                // a subscriber joining a used buffer first gets its latest record (Agrona's late-joiner semantics)
                await(() -> got.size() >= 100 && got.get(got.size() - 1).equals(tick(99)), "100 events");
                assertEquals(101, got.size());
                assertEquals(tick(99), got.get(0));
                for (int i = 0; i < 100; i++) {
                    assertEquals(tick(i), got.get(i + 1));
                }
            }
        }
    }

    @Test
    void closingTheInboundBridgeWhileAWriterSendsLosesNothing() throws Exception {
        IpcChannel ch = IpcChannel.builder(dir.resolve("race")).capacity(1 << 16)
                .overflowPolicy(OverflowPolicy.BLOCK).build();
        CopyOnWriteArrayList<Tick> onBus = new CopyOnWriteArrayList<>();
        bus.subscribe(Tick.class, onBus::add);
        int n = 20_000;
        try (IpcWriter w = ch.writer(codec()); IpcReader r = ch.reader(codec())) {
            InboundBridge in = BusBridge.inbound(r, bus).start();
            Thread writer = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    w.send(tick(i));
                }
            });
            writer.start();
            await(() -> onBus.size() > 100, "some events");
            in.close(); // races the writer
            List<Object> rest = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((writer.isAlive() || r.poll(rest::add, 256) > 0) && System.nanoTime() < deadline) {
                r.poll(rest::add, 256);
            }
            writer.join(5_000);
            long published = in.publishedCount();
            await(() -> onBus.size() == published, "the bus delivers what the bridge published");
            assertEquals(0, in.droppedCount());
            assertEquals(n, onBus.size() + rest.size(), "every message on the bus or left in the ring");
            for (int i = 0; i < onBus.size(); i++) {
                assertEquals(tick(i), onBus.get(i));
            }
            for (int i = 0; i < rest.size(); i++) {
                assertEquals(tick(onBus.size() + i), rest.get(i));
            }
        }
    }

    @Test
    void closingTheOutboundBridgeWhileTheBusPublishesLosesNothingItAccepted() throws Exception {
        IpcChannel ch = IpcChannel.builder(dir.resolve("out-race")).capacity(1 << 20).build();
        int n = 20_000;
        try (IpcWriter w = ch.writer(codec()); IpcReader r = ch.reader(codec())) {
            OutboundBridge out = BusBridge.outbound(bus, Tick.class, w).start();
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    bus.publish(tick(i));
                }
            });
            publisher.start();
            await(() -> out.forwardedCount() > 100, "some forwarded");
            out.close(); // races the publisher
            publisher.join(10_000);
            await(() -> out.subscription().terminated().toCompletableFuture().isDone(), "the subscription ends");
            List<Object> got = new ArrayList<>();
            while (r.poll(got::add, 1024) > 0) {
                // drain
            }
            assertEquals(out.forwardedCount(), got.size(), "what the bridge forwarded is in the ring, once");
            for (int i = 0; i < got.size(); i++) {
                assertEquals(tick(i), got.get(i), "in order, no gaps");
            }
        }
    }

    @Test
    void aLossyInboundBridgeDropsWhatAFullTopicRefusesAndCountsIt() throws Exception {
        IpcChannel ch = IpcChannel.builder(dir.resolve("lossy")).capacity(1 << 20).build();
        java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
        bus.subscribe(Tick.class, t -> {
            Thread.sleep(1); // a slow subscriber: the 1024-slot topic fills
            handled.incrementAndGet();
        });
        int n = 5_000;
        try (IpcWriter w = ch.writer(codec()); IpcReader r = ch.reader(codec())) {
            for (int i = 0; i < n; i++) {
                w.send(tick(i));
            }
            try (InboundBridge in = BusBridge.inbound(r, bus).lossy().start()) {
                await(() -> in.publishedCount() + in.droppedCount() == n, "every message published or dropped");
                assertTrue(in.droppedCount() > 0, "nothing dropped");
                assertTrue(in.publishedCount() >= 1024, "published " + in.publishedCount());
            }
        }
    }

    /** An event type the ring's codec was never told about. */
    public static final class Unregistered {
        final int n;

        Unregistered(int n) {
            this.n = n;
        }
    }

    @Test
    void anEventTheSinkCannotEncodeIsCountedDropped() throws Exception {
        IpcChannel ch = IpcChannel.builder(dir.resolve("unknown")).capacity(4096).build();
        int n = 10;
        try (IpcWriter w = ch.writer(WireMessageCodec.builder().register(Tick.class, 8).build());
             OutboundBridge out = BusBridge.outbound(bus, Unregistered.class, w).start()) {
            for (int i = 0; i < n; i++) {
                bus.publish(new Unregistered(i));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (out.forwardedCount() + out.droppedCount() < n && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(0, out.forwardedCount());
            assertEquals(n, out.droppedCount(), "every event is forwarded or counted dropped");
            assertEquals(0, w.acceptedCount());
        }
    }

    @Test
    void aBlockingBridgeGivesUpWhenTheBusHaltsItsConsumer() throws Exception {
        VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EVENTS_RING_SIZE, 1024).set(Settings.SHUTDOWN_DEADLINE_MS, 200L).build());
        IpcChannel ch = IpcChannel.builder(dir.resolve("stuck")).capacity(4096).build(); // no reader: fills
        try (IpcWriter w = ch.writer(codec());
             OutboundBridge out = BusBridge.outbound(rt.events(), Tick.class, w).overflow(OverflowPolicy.BLOCK)
                     .start()) {
            for (int i = 0; i < 500; i++) {
                rt.events().publish(tick(i));
            }
            await(() -> w.fullCount() > 0, "the bridge waiting on the full ring");
            rt.close(); // past its deadline the bus interrupts its consumer threads: a waiting bridge must give up
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (out.droppedCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(1, out.droppedCount(), "the bridge still waits (spinning) after the bus halted it");
            long full = w.fullCount();
            Thread.sleep(50);
            assertEquals(full, w.fullCount(), "the halted consumer still offers");
        }
    }
}
