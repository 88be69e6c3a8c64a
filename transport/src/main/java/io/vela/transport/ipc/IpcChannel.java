package io.vela.transport.ipc;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.VelaConfig;
import io.vela.transport.TransportSettings;
import io.vela.transport.codec.MessageCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.agrona.BitUtil;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * A channel between processes on one host: many writers (in any processes) and one reader over a memory-mapped
 * Agrona {@code ManyToOneRingBuffer} in a file. Either side creates the file when it is absent; both must agree on
 * its capacity. Messages are records of a {@link MessageCodec}.
 *
 * <pre>{@code
 * IpcChannel orders = IpcChannel.builder(dir.resolve("orders")).capacity(1 << 20).build();
 * try (IpcWriter w = orders.writer(codec)) { w.offer(order); }                 // in any process
 * try (IpcReader r = orders.reader(codec)) { r.poll(System.out::println, 100); } // in one process
 * }</pre>
 *
 * <p>A description only: immutable, thread-safe, owns nothing.
 */
public final class IpcChannel {
    /** Default ring capacity: 1 MiB. */
    public static final int DEFAULT_CAPACITY = 1 << 20;
    /** Default time a reader waits on a claimed but never committed record before unblocking it: 1 s. */
    public static final Duration DEFAULT_UNBLOCK_TIMEOUT = Duration.ofSeconds(1);

    private final Path path;
    private final int capacity;
    private final Duration unblockTimeout;
    private final OverflowPolicy overflowPolicy;
    private final Duration sendTimeout;

    private IpcChannel(Builder b) {
        this.path = b.path;
        this.capacity = b.capacity;
        this.unblockTimeout = b.unblockTimeout;
        this.overflowPolicy = b.overflowPolicy;
        this.sendTimeout = b.sendTimeout;
    }

    /**
     * @param path the channel's file; its directory is created when absent
     * @return a builder with the defaults
     */
    public static Builder builder(Path path) {
        return new Builder(path);
    }

    /**
     * A builder filled from configuration: the file {@code transport.directory}/{@code name}, and
     * {@code transport.ring-capacity}, {@code transport.unblock-timeout-ms}, {@code transport.overflow},
     * {@code transport.send-timeout-ms}.
     *
     * @param config the configuration
     * @param name   the channel's name: its file name in the directory
     * @return the builder; its calls override the configuration
     */
    public static Builder builder(VelaConfig config, String name) {
        return builder(IpcFile.inDirectory(config, name, "channel"))
                .capacity(config.get(TransportSettings.RING_CAPACITY))
                .unblockTimeout(Duration.ofMillis(config.get(TransportSettings.UNBLOCK_TIMEOUT_MS)))
                .overflowPolicy(config.get(TransportSettings.OVERFLOW).policy())
                .sendTimeout(Duration.ofMillis(config.get(TransportSettings.SEND_TIMEOUT_MS)));
    }

    /**
     * A writer on the channel at {@code path}, with default settings.
     *
     * @param path  the channel's file
     * @param codec encodes what the writer offers
     * @return the writer; close it
     */
    public static IpcWriter writer(Path path, MessageCodec codec) {
        return builder(path).build().writer(codec);
    }

    /**
     * The reader of the channel at {@code path}, with default settings.
     *
     * @param path  the channel's file
     * @param codec decodes what the reader polls
     * @return the reader; close it
     */
    public static IpcReader reader(Path path, MessageCodec codec) {
        return builder(path).build().reader(codec);
    }

    /**
     * @param codec encodes what the writer offers; the writer's alone from now on (codecs keep scratch state)
     * @return a new writer mapping the file (created when absent)
     */
    public IpcWriter writer(MessageCodec codec) {
        return new IpcWriter(this, IpcFile.open(path, IpcFile.KIND_RING, capacity,
                RingBufferDescriptor.TRAILER_LENGTH, true), Objects.requireNonNull(codec, "codec"));
    }

    /**
     * The channel's one reader. A reader that restarts (in this or another process) resumes where the ring is: the
     * records written while no reader ran are delivered.
     *
     * @param codec decodes what the reader polls; the reader's alone from now on
     * @return a new reader mapping the file (created when absent)
     * @throws io.vela.transport.TransportException when the channel already has a reader (in this or another
     *         process; an OS lock on the sibling file {@code .<name>.reader-lock}, released when that reader closes
     *         or its process dies)
     */
    public IpcReader reader(MessageCodec codec) {
        Objects.requireNonNull(codec, "codec");
        return new IpcReader(this, IpcFile.openExclusive(path, IpcFile.KIND_RING, capacity,
                RingBufferDescriptor.TRAILER_LENGTH, "reader"), codec);
    }

    /** @return the channel's file */
    public Path path() {
        return path;
    }

    /** @return the ring's capacity in bytes */
    public int capacity() {
        return capacity;
    }

    /** @return how long a reader waits on a record a writer claimed and never committed before unblocking it */
    public Duration unblockTimeout() {
        return unblockTimeout;
    }

    /** @return what {@link IpcWriter#send} does when the ring is full */
    public OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    /** @return how long {@link IpcWriter#send} waits under {@code block-timeout} */
    public Duration sendTimeout() {
        return sendTimeout;
    }

    /** Builds an {@link IpcChannel}; bad values name the setting, the value and the valid values. */
    public static final class Builder {
        private final Path path;
        private int capacity = DEFAULT_CAPACITY;
        private Duration unblockTimeout = DEFAULT_UNBLOCK_TIMEOUT;
        private OverflowPolicy overflowPolicy = OverflowPolicy.BLOCK_TIMEOUT;
        private Duration sendTimeout = Duration.ofSeconds(1);

        private Builder(Path path) {
            this.path = Objects.requireNonNull(path, "path");
        }

        /**
         * @param bytes the ring's capacity: a power of two in [1 KiB, 1 GiB] (default 1 MiB); a record may take up to
         *              an eighth of it
         * @return this builder
         */
        public Builder capacity(int bytes) {
            if (bytes < 1024 || bytes > (1 << 30) || !BitUtil.isPowerOfTwo(bytes)) {
                throw new IllegalArgumentException("capacity = " + bytes + " is invalid; valid: a power of two in ["
                        + 1024 + ", " + (1 << 30) + "]");
            }
            this.capacity = bytes;
            return this;
        }

        /**
         * @param timeout how long a reader waits on a claimed, never committed record (a writer that died
         *                mid-record) before unblocking the ring; in [1 ms, 1 h] (default 1 s)
         * @return this builder
         */
        public Builder unblockTimeout(Duration timeout) {
            this.unblockTimeout = checkDuration("unblockTimeout", timeout);
            return this;
        }

        /**
         * @param policy what {@link IpcWriter#send} does on a full ring: {@code block}, {@code block-timeout}
         *               (default) or {@code fail-fast}; {@code caller-runs} has no meaning across processes
         * @return this builder
         */
        public Builder overflowPolicy(OverflowPolicy policy) {
            Objects.requireNonNull(policy, "policy");
            if (policy == OverflowPolicy.CALLER_RUNS) {
                throw new IllegalArgumentException("overflowPolicy = caller-runs is invalid for a cross-process "
                        + "channel; valid: block, block-timeout, fail-fast");
            }
            this.overflowPolicy = policy;
            return this;
        }

        /**
         * @param timeout how long {@link IpcWriter#send} waits under {@code block-timeout}; in [1 ms, 1 h]
         * @return this builder
         */
        public Builder sendTimeout(Duration timeout) {
            this.sendTimeout = checkDuration("sendTimeout", timeout);
            return this;
        }

        private static Duration checkDuration(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.toMillis() < 1 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(name + " = " + d + " is invalid; valid: a duration in [1 ms, 1 h]");
            }
            return d;
        }

        /** @return the channel description */
        public IpcChannel build() {
            return new IpcChannel(this);
        }
    }
}
