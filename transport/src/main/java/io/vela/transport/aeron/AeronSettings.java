package io.vela.transport.aeron;

import io.vela.engine.Setting;
import io.vela.engine.Settings;
import io.vela.engine.SettingsProvider;
import java.util.List;

/**
 * The {@code transport.aeron.*} configuration keys (for example system property
 * {@code vela.transport.aeron.driver}), validated by {@code VelaConfig} like the engine's own: found through
 * {@link java.util.ServiceLoader} as a {@link SettingsProvider}. Read by {@link AeronTransport#start}.
 */
public final class AeronSettings implements SettingsProvider {
    /** Embedded driver (default) or an external one. */
    public static final Setting<DriverMode> DRIVER = Settings.choice("transport.aeron.driver", DriverMode.class,
            DriverMode.EMBEDDED, "media driver: embedded (own directory, deleted on close) or external");
    /** The driver's directory; {@code auto}: a new one under the temp dir (embedded) or Aeron's default (external). */
    public static final Setting<String> DIR = Settings.text("transport.aeron.dir", "auto",
            "Aeron directory (auto = unique temp dir when embedded, Aeron's default when external)");
    /** The embedded driver's threads. */
    public static final Setting<DriverThreading> THREADING = Settings.choice("transport.aeron.threading-mode",
            DriverThreading.class, DriverThreading.SHARED, "embedded driver threads (shared fits 2 cores)");
    /** How the driver, the poller and a blocked sender wait. */
    public static final Setting<AeronIdle> IDLE = Settings.choice("transport.aeron.idle-strategy", AeronIdle.class,
            AeronIdle.BACKOFF, "how the driver, the inbound poller and a blocked sender wait");
    /** What a send does when Aeron does not take the message now. */
    public static final Setting<BackPressurePolicy> OVERFLOW = Settings.choice("transport.aeron.overflow",
            BackPressurePolicy.class, BackPressurePolicy.BLOCK_TIMEOUT,
            "what a send does when back-pressured or not connected");
    /** How long {@code block-timeout} retries. */
    public static final Setting<Long> BLOCK_TIMEOUT_MS = Settings.longRange("transport.aeron.block-timeout-ms",
            1000, 1, 3_600_000, "how long a send retries under block-timeout (ms)");
    /** Largest encoded message; the send buffer's size. */
    public static final Setting<Integer> MAX_MESSAGE_BYTES = Settings.integer("transport.aeron.max-message-bytes",
            64 * 1024, 64, 16 * 1024 * 1024, "largest encoded message in bytes (the per-publisher send buffer)");
    /** Term length of the embedded driver's publications (UDP and IPC). */
    public static final Setting<Integer> TERM_LENGTH = Settings.integer("transport.aeron.term-length",
            1 << 20, 1 << 16, 1 << 30, "term buffer length of embedded-driver publications (a power of two)");
    /** Fragments one poll of one subscription may deliver. */
    public static final Setting<Integer> FRAGMENT_LIMIT = Settings.integer("transport.aeron.fragment-limit", 64, 1,
            1 << 16, "fragments delivered per poll of one subscription");
    /** How soon a silent peer counts as lost (embedded driver: image liveness and publication connection). */
    public static final Setting<Long> PEER_TIMEOUT_MS = Settings.longRange("transport.aeron.peer-timeout-ms",
            5_000, 100, 3_600_000, "silence after which a peer is lost: image unavailable, publication "
                    + "not connected (embedded driver)");
    /** How long a closing publisher waits for the driver to send what it accepted. */
    public static final Setting<Long> CLOSE_LINGER_MS = Settings.longRange("transport.aeron.close-linger-ms", 2_000,
            0, 60_000, "how long close waits for accepted messages to leave (ms)");

    /** For the {@link java.util.ServiceLoader}; use the constants. */
    public AeronSettings() {
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(DRIVER, DIR, THREADING, IDLE, OVERFLOW, BLOCK_TIMEOUT_MS, MAX_MESSAGE_BYTES, TERM_LENGTH,
                FRAGMENT_LIMIT, PEER_TIMEOUT_MS, CLOSE_LINGER_MS);
    }
}
