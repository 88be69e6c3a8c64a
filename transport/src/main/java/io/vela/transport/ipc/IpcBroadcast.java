package io.vela.transport.ipc;

import io.vela.engine.VelaConfig;
import io.vela.transport.TransportSettings;
import io.vela.transport.codec.MessageCodec;
import java.nio.file.Path;
import java.util.Objects;
import org.agrona.BitUtil;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;

/**
 * One-to-many between processes: one {@link BroadcastPublisher} writes into a memory-mapped Agrona broadcast
 * buffer, any number of {@link BroadcastSubscriber}s (in any processes) read it. The publisher never waits: it
 * overwrites the oldest records, and a subscriber that falls behind is lapped and told how many messages it lost.
 *
 * <p>A description only: immutable, thread-safe, owns nothing.
 */
public final class IpcBroadcast {
    private final Path path;
    private final int capacity;

    private IpcBroadcast(Path path, int capacity) {
        this.path = path;
        this.capacity = capacity;
    }

    /**
     * @param path     the buffer's file; created (with its directory) when absent
     * @param capacity the buffer's capacity: a power of two in [1 KiB, 1 GiB]; a record may take up to an eighth
     * @return the description
     */
    public static IpcBroadcast of(Path path, int capacity) {
        Objects.requireNonNull(path, "path");
        if (capacity < 1024 || capacity > (1 << 30) || !BitUtil.isPowerOfTwo(capacity)) {
            throw new IllegalArgumentException("capacity = " + capacity + " is invalid; valid: a power of two in ["
                    + 1024 + ", " + (1 << 30) + "]");
        }
        return new IpcBroadcast(path, capacity);
    }

    /**
     * @param config the configuration: {@code transport.directory} and {@code transport.broadcast-capacity}
     * @param name   the buffer's name: its file name in the directory
     * @return the description
     */
    public static IpcBroadcast of(VelaConfig config, String name) {
        return of(IpcFile.inDirectory(config, name, "broadcast"),
                config.get(TransportSettings.BROADCAST_CAPACITY));
    }

    /**
     * @param codec encodes what the publisher offers; the publisher's alone from now on
     * @return the publisher; there is one per buffer (Agrona's transmitter is single-writer)
     * @throws io.vela.transport.TransportException when the buffer already has a publisher (in this or another
     *         process; an OS lock on the sibling file {@code .<name>.publisher-lock}, released when that publisher
     *         closes or its process dies)
     */
    public BroadcastPublisher publisher(MessageCodec codec) {
        Objects.requireNonNull(codec, "codec");
        return new BroadcastPublisher(IpcFile.openExclusive(path, IpcFile.KIND_BROADCAST, capacity,
                BroadcastBufferDescriptor.TRAILER_LENGTH, "publisher"), codec);
    }

    /**
     * @param codec decodes what the subscriber polls; the subscriber's alone from now on
     * @return a subscriber that starts at the newest record
     */
    public BroadcastSubscriber subscriber(MessageCodec codec) {
        return new BroadcastSubscriber(file(), Objects.requireNonNull(codec, "codec"));
    }

    private IpcFile file() {
        return IpcFile.open(path, IpcFile.KIND_BROADCAST, capacity, BroadcastBufferDescriptor.TRAILER_LENGTH, true);
    }

    /** @return the buffer's file */
    public Path path() {
        return path;
    }

    /** @return the buffer's capacity in bytes */
    public int capacity() {
        return capacity;
    }
}
