package io.vela.transport.aeron;

import io.vela.engine.actor.ActorPath;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Makes {@link RemoteActorRef}s for the actors behind one remote {@link ActorEndpoint}; the refs share one
 * {@link AeronPublisher} (its policy, lock, buffer and counters). Threads: any. Making a ref allocates it once;
 * its tells allocate nothing beyond the codec's work.
 */
public final class RemoteActors implements AutoCloseable {
    /** Longest path, in UTF-8 bytes. */
    static final int MAX_PATH_BYTES = 4096;

    private final AeronPublisher publisher;

    RemoteActors(AeronPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * @param path the remote actor's path, e.g. {@code /user/orders}
     * @param <M>  the message type it accepts
     * @return a ref whose tells go onto this stream, addressed to {@code path}
     * @throws io.vela.engine.actor.InvalidActorNameException when the path is malformed
     * @throws IllegalArgumentException when the path does not start with {@code /}, is longer than 4096 bytes, or
     *         leaves no room for a message in the publisher's send buffer ({@code transport.aeron.max-message-bytes})
     */
    public <M> RemoteActorRef<M> ref(String path) {
        ActorPath parsed = parse(path);
        byte[] bytes = parsed.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("actor path longer than " + MAX_PATH_BYTES + " bytes: " + path);
        }
        int room = publisher.maxMessageBytes();
        if (Short.BYTES + bytes.length >= room) {
            throw new IllegalArgumentException("actor path " + path + " takes " + (Short.BYTES + bytes.length)
                    + " bytes of a record, which leaves no room for a message in the send buffer of " + room
                    + " bytes (" + AeronSettings.MAX_MESSAGE_BYTES.key() + ", capped by Aeron at term-length / 8)");
        }
        UnsafeBuffer header = new UnsafeBuffer(new byte[Short.BYTES + bytes.length]);
        header.putShort(0, (short) bytes.length);
        header.putBytes(Short.BYTES, bytes);
        return new RemoteActorRef<>(parsed, publisher, header);
    }

    static ActorPath parse(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.length() < 2) {
            throw new IllegalArgumentException("actor path '" + path + "' is invalid; valid: /root/child/..., "
                    + "e.g. /user/orders");
        }
        String[] parts = path.substring(1).split("/", -1);
        ActorPath p = ActorPath.root(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            p = p.child(parts[i]);
        }
        return p;
    }

    /** @return the publisher the refs share (its counters) */
    public AeronPublisher publisher() {
        return publisher;
    }

    /** Closes the shared publisher; later tells are refused with {@code RingClosedException}. */
    @Override
    public void close() {
        publisher.close();
    }
}
