package io.vela.transport.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.event.EventBus;
import io.vela.transport.codec.Tick;
import io.vela.transport.codec.WireMessageCodec;
import io.vela.transport.ipc.IpcChannel;
import io.vela.transport.ipc.IpcWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Review: a sink that throws (a type its codec does not know) must not make events vanish from the counts. */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class OutboundBridgeFailureTest {
    /** An event type the ring's codec was never told about. */
    public static final class Unregistered {
        final int n;

        Unregistered(int n) {
            this.n = n;
        }
    }

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
            assertTrue(w.acceptedCount() == 0);
        }
    }
}
