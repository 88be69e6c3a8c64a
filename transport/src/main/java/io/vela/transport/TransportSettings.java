package io.vela.transport;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.Setting;
import io.vela.engine.Settings;
import io.vela.engine.SettingsProvider;
import io.vela.transport.codec.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code transport.*} configuration keys of the cross-process paths (for example system property
 * {@code vela.transport.ring-capacity}), validated by {@code VelaConfig} like the engine's own: found through
 * {@link java.util.ServiceLoader} as a {@link SettingsProvider}. Read by {@code IpcChannel.builder(VelaConfig,
 * String)}, {@code IpcBroadcast.of(VelaConfig, String)} and {@code WireMessageCodec.Builder.config(VelaConfig)};
 * builder calls override them.
 */
public final class TransportSettings implements SettingsProvider {
    /** The overflow policies a cross-process writer can follow ({@code caller-runs} has no meaning there). */
    public enum Overflow {
        /** Wait until the ring has room or the writer closes. */
        BLOCK(OverflowPolicy.BLOCK),
        /** Wait up to {@code transport.send-timeout-ms}, then refuse. */
        BLOCK_TIMEOUT(OverflowPolicy.BLOCK_TIMEOUT),
        /** Refuse at once. */
        FAIL_FAST(OverflowPolicy.FAIL_FAST);

        private final OverflowPolicy policy;

        Overflow(OverflowPolicy policy) {
            this.policy = policy;
        }

        /** @return the engine's policy of the same name */
        public OverflowPolicy policy() {
            return policy;
        }
    }

    /** Directory of the channel files. */
    public static final Setting<String> DIRECTORY = Settings.text("transport.directory", defaultDirectory(),
            "directory of cross-process channel files (default: /dev/shm/vela-<user> where /dev/shm exists, "
                    + "else <java.io.tmpdir>/vela-<user>)");
    /** Capacity of a many-to-one ring, in bytes. */
    public static final Setting<Integer> RING_CAPACITY = Settings.powerOfTwo("transport.ring-capacity", 1 << 20,
            1024, 1 << 30, "bytes in a cross-process ring; a record takes at most an eighth");
    /** Capacity of a broadcast buffer, in bytes. */
    public static final Setting<Integer> BROADCAST_CAPACITY = Settings.powerOfTwo("transport.broadcast-capacity",
            1 << 20, 1024, 1 << 30, "bytes in a cross-process broadcast buffer; a record takes at most an eighth");
    /** How long a reader waits on a record a writer claimed and never committed. */
    public static final Setting<Long> UNBLOCK_TIMEOUT_MS = Settings.longRange("transport.unblock-timeout-ms", 1000,
            1, 3_600_000, "ms a ring reader waits on a claimed, never committed record (a dead writer) before "
                    + "unblocking the ring");
    /** What {@code IpcWriter.send} does on a full ring. */
    public static final Setting<Overflow> OVERFLOW = Settings.choice("transport.overflow", Overflow.class,
            Overflow.BLOCK_TIMEOUT, "what a cross-process send does when the ring is full");
    /** How long {@code block-timeout} waits. */
    public static final Setting<Long> SEND_TIMEOUT_MS = Settings.longRange("transport.send-timeout-ms", 1000, 1,
            3_600_000, "ms a cross-process send waits on a full ring under block-timeout");
    /** Payload format of codecs built from configuration. */
    public static final Setting<WireFormat> WIRE_FORMAT = Settings.choice("transport.wire-format", WireFormat.class,
            WireFormat.BINARY, "payload format of Chronicle Wire records (binary for speed, yaml/json to read them)");

    /** For the {@link java.util.ServiceLoader}; use the constants. */
    public TransportSettings() {
    }

    private static String defaultDirectory() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_")
                .toLowerCase(Locale.ROOT);
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("vela-" + user).toString();
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(DIRECTORY, RING_CAPACITY, BROADCAST_CAPACITY, UNBLOCK_TIMEOUT_MS, OVERFLOW, SEND_TIMEOUT_MS,
                WIRE_FORMAT);
    }
}
