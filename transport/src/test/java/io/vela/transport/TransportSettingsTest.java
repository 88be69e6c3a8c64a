package io.vela.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaConfigException;
import io.vela.transport.codec.Tick;
import io.vela.transport.codec.WireFormat;
import io.vela.transport.codec.WireMessageCodec;
import io.vela.transport.ipc.IpcBroadcast;
import io.vela.transport.ipc.IpcChannel;
import io.vela.transport.ipc.IpcReader;
import io.vela.transport.ipc.IpcWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theKeysAreKnownWithTheirDefaults() {
        VelaConfig config = VelaConfig.defaults();
        assertEquals(1 << 20, config.get(TransportSettings.RING_CAPACITY));
        assertEquals(TransportSettings.Overflow.BLOCK_TIMEOUT, config.get(TransportSettings.OVERFLOW));
        assertEquals(WireFormat.BINARY, config.get(TransportSettings.WIRE_FORMAT));
        assertTrue(config.describe().contains("transport.unblock-timeout-ms"), config.describe());
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheValidValues() {
        VelaConfigException e = assertThrows(VelaConfigException.class, () -> VelaConfig.builder()
                .set("transport.ring-capacity", "1000").set("transport.overflow", "caller-runs")
                .set("transport.wire-format", "xml").build());
        String m = e.getMessage();
        assertTrue(m.contains("transport.ring-capacity = 1000") && m.contains("a power of two in [1024, 1073741824]"),
                m);
        assertTrue(m.contains("transport.overflow = 'caller-runs'") && m.contains("block, block-timeout, fail-fast"), m);
        assertTrue(m.contains("transport.wire-format = 'xml'") && m.contains("binary, yaml, json"), m);
    }

    @Test
    void channelsAndCodecsBuiltFromConfigurationUseIt() {
        VelaConfig config = VelaConfig.builder().set("transport.directory", dir.toString())
                .set("transport.ring-capacity", "4096").set("transport.unblock-timeout-ms", "25")
                .set("transport.overflow", "fail-fast").set("transport.wire-format", "yaml").build();
        IpcChannel ch = IpcChannel.builder(config, "orders").build();
        assertEquals(dir.resolve("orders"), ch.path());
        assertEquals(4096, ch.capacity());
        assertEquals(Duration.ofMillis(25), ch.unblockTimeout());
        assertEquals(OverflowPolicy.FAIL_FAST, ch.overflowPolicy());
        WireMessageCodec codec = WireMessageCodec.builder().register(Tick.class, 8).config(config).build();
        assertEquals(WireFormat.YAML, codec.format());
        try (IpcWriter w = ch.writer(codec); IpcReader r = ch.reader(codec.copy())) {
            w.send(new Tick(1, 2, 3, 4, 5));
            List<Object> got = new ArrayList<>();
            r.poll(got::add, 10);
            assertEquals(List.of(new Tick(1, 2, 3, 4, 5)), got);
        }
        assertEquals(dir.resolve("quotes"), IpcBroadcast.of(config, "quotes").path());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> IpcChannel.builder(config, "../escape"));
        assertTrue(bad.getMessage().contains("'../escape'"), bad.getMessage());
    }
}
