package io.vela.transport.codec;

import java.lang.reflect.Constructor;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.Marshallable;
import net.openhft.chronicle.wire.ValueIn;
import net.openhft.chronicle.wire.Wire;
import net.openhft.chronicle.wire.WireType;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link MessageCodec} on Chronicle Wire. A message type declares its wire form once, by implementing Chronicle's
 * {@link Marshallable} (usually by extending {@code SelfDescribingMarshallable}): its fields are written with their
 * names, so a type may gain fields and older readers skip them, while newer readers of older records keep the new
 * fields at their defaults (ADR 0010).
 *
 * <p>A record is a {@value #HEADER_LENGTH}-byte header followed by the payload:
 * <pre>
 *   0  int32 LE  type id (as registered)
 *   4  byte      payload format ('B' binary, 'Y' YAML, 'J' JSON)
 *   5  byte      record version ({@value #RECORD_VERSION})
 *   6  int16     reserved, 0
 *   8  int32 LE  payload length
 *  12  int32 LE  CRC-32C of the payload
 *  16  payload   the message's fields in the codec's {@link WireFormat}
 * </pre>
 * A record whose length, type id, format, version, checksum or payload does not add up is refused with a
 * {@link CodecException} naming the type (when the header says it) and the offset within the record.
 *
 * <p>Threads: an instance keeps scratch buffers, so one thread at a time may use it (hand it over through any
 * happens-before edge); give each writer and reader its own instance ({@link #copy()}). {@link #toText}, {@link
 * #fromText} allocate and are meant for logs and tests.
 *
 * <p>Allocation: {@link #encode} allocates nothing once its scratch buffer has grown to the largest record;
 * {@link #decode(DirectBuffer, int, int, Object)} into a reused target allocates only what the message's own fields
 * need (a {@code String} field allocates its string); {@link #decode(DirectBuffer, int, int)} also allocates the
 * message.
 */
public final class WireMessageCodec implements MessageCodec {
    /** Bytes before the payload. */
    public static final int HEADER_LENGTH = 16;
    /** The record layout version this codec writes and reads. */
    public static final byte RECORD_VERSION = 1;
    static final int TYPE_OFFSET = 0;
    static final int FORMAT_OFFSET = 4;
    static final int VERSION_OFFSET = 5;
    static final int LENGTH_OFFSET = 8;
    static final int CHECKSUM_OFFSET = 12;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final WireFormat format;
    private final Registry registry;
    private final int maxRecordLength;
    private final ByteBuffer scratchBuffer;
    private final Bytes<ByteBuffer> scratch;
    private final CRC32C crc = new CRC32C();
    private final Wire wire;
    private final boolean textWire;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    private WireMessageCodec(WireFormat format, Registry registry, int maxRecordLength) {
        this.format = format;
        this.registry = registry;
        this.maxRecordLength = maxRecordLength;
        this.scratchBuffer = ByteBuffer.allocateDirect(maxRecordLength);
        this.scratch = Bytes.wrapForWrite(scratchBuffer);
        this.scratch.singleThreadedCheckDisabled(true);
        this.wire = format.wireType().apply(scratch);
        this.textWire = format != WireFormat.BINARY;
    }

    /** @return a builder; register every message type, then {@link Builder#build()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a codec with the same types and format and scratch buffers of its own, for another thread */
    public WireMessageCodec copy() {
        return new WireMessageCodec(format, registry, maxRecordLength);
    }

    /** @return the payload format */
    public WireFormat format() {
        return format;
    }

    /** @return the largest record, header included, this codec writes or accepts */
    public int maxRecordLength() {
        return maxRecordLength;
    }

    /**
     * @param type a registered message type
     * @return its type id
     * @throws CodecException when the type is not registered
     */
    public int typeId(Class<?> type) {
        return registry.of(type).typeId;
    }

    @Override
    public int encode(Object message, MutableDirectBuffer buffer, int offset, int capacity) {
        Objects.requireNonNull(message, "message");
        Registration r = registry.of(message.getClass());
        scratch.clear();
        if (textWire) {
            wire.clear(); // a text wire keeps parser state beyond its bytes
        }
        try {
            ((Marshallable) message).writeMarshallable(wire);
        } catch (BufferOverflowException e) {
            throw new CodecException("the record is longer than the max record length " + maxRecordLength, r.name,
                    Math.min(capacity, maxRecordLength), e);
        } catch (RuntimeException e) {
            throw new CodecException("could not write the message: " + e, r.name, HEADER_LENGTH + scratch.writePosition(), e);
        }
        long payload = scratch.writePosition();
        long record = HEADER_LENGTH + payload;
        if (record > capacity || record > maxRecordLength) {
            throw new CodecException("a record of " + record + " bytes does not fit: capacity " + capacity
                    + ", max record length " + maxRecordLength, r.name, Math.min(capacity, maxRecordLength), null);
        }
        buffer.putInt(offset + TYPE_OFFSET, r.typeId, ORDER);
        buffer.putByte(offset + FORMAT_OFFSET, format.code());
        buffer.putByte(offset + VERSION_OFFSET, RECORD_VERSION);
        buffer.putShort(offset + 6, (short) 0, ORDER);
        buffer.putInt(offset + LENGTH_OFFSET, (int) payload, ORDER);
        buffer.putInt(offset + CHECKSUM_OFFSET, checksum(payload), ORDER);
        if (payload > 0) {
            view.wrap(scratch.addressForRead(0), (int) payload);
            buffer.putBytes(offset + HEADER_LENGTH, view, 0, (int) payload);
        }
        return (int) record;
    }

    @Override
    public Object decode(DirectBuffer buffer, int offset, int length) {
        Registration r = header(buffer, offset, length);
        Object target = r.newInstance();
        payload(r, buffer, offset, target);
        return target;
    }

    /**
     * Reads a record into an existing message, so a reader that reuses its target allocates nothing for the message
     * itself. Fields the record lacks are reset to the type's defaults.
     *
     * @param buffer where the record is
     * @param offset its first byte
     * @param length its length in bytes
     * @param into   the target; its type must be the record's
     * @param <T>    the message type
     * @return {@code into}
     * @throws CodecException when the bytes are not a whole, valid record of {@code into}'s type
     */
    public <T> T decode(DirectBuffer buffer, int offset, int length, T into) {
        Objects.requireNonNull(into, "into");
        Registration r = header(buffer, offset, length);
        if (r.type != into.getClass()) {
            throw new CodecException("the record holds a " + r.name + ", not a " + into.getClass().getName(),
                    r.name, TYPE_OFFSET, null);
        }
        payload(r, buffer, offset, into);
        return into;
    }

    /**
     * @param buffer where the record is
     * @param offset its first byte
     * @param length its length in bytes
     * @return the type the record's header names
     * @throws CodecException when the header is not valid
     */
    public Class<?> typeOf(DirectBuffer buffer, int offset, int length) {
        return header(buffer, offset, length).type;
    }

    private Registration header(DirectBuffer buffer, int offset, int length) {
        if (offset < 0 || (long) offset + Math.max(length, 0) > buffer.capacity()) {
            throw new CodecException("a record of " + length + " bytes at offset " + offset + " lies outside the "
                    + "buffer of " + buffer.capacity() + " bytes", "unknown",
                    (int) Math.max(0, Math.min(length, (long) buffer.capacity() - offset)), null);
        }
        if (length < HEADER_LENGTH) {
            Registration named = length >= 4 ? registry.byId.get(buffer.getInt(offset + TYPE_OFFSET, ORDER)) : null;
            throw new CodecException("a record of " + length + " bytes is shorter than its " + HEADER_LENGTH
                    + "-byte header", named == null ? "unknown" : named.name, Math.max(length, 0), null);
        }
        if (length > maxRecordLength) {
            throw new CodecException("a record of " + length + " bytes is longer than the max record length "
                    + maxRecordLength, "unknown", maxRecordLength, null);
        }
        int typeId = buffer.getInt(offset + TYPE_OFFSET, ORDER);
        Registration r = registry.byId.get(typeId);
        if (r == null) {
            throw new CodecException("type id " + typeId + " is not registered (registered: " + registry.ids() + ")",
                    "unknown", TYPE_OFFSET, null);
        }
        byte code = buffer.getByte(offset + FORMAT_OFFSET);
        if (code != format.code()) {
            WireFormat other = WireFormat.fromCode(code);
            throw new CodecException("the payload format is " + (other == null ? "byte " + code : other.configName())
                    + ", this codec reads " + format.configName(), r.name, FORMAT_OFFSET, null);
        }
        byte version = buffer.getByte(offset + VERSION_OFFSET);
        if (version != RECORD_VERSION) {
            throw new CodecException("record version " + version + " is not supported (supported: " + RECORD_VERSION
                    + ")", r.name, VERSION_OFFSET, null);
        }
        int payload = buffer.getInt(offset + LENGTH_OFFSET, ORDER);
        if (payload < 0 || payload != length - HEADER_LENGTH) {
            throw new CodecException("the header says " + payload + " payload bytes, the record has "
                    + (length - HEADER_LENGTH), r.name, payload < 0 ? LENGTH_OFFSET : Math.min(length, HEADER_LENGTH
                    + (long) payload), null);
        }
        return r;
    }

    private void payload(Registration r, DirectBuffer buffer, int offset, Object target) {
        int payload = buffer.getInt(offset + LENGTH_OFFSET, ORDER);
        scratch.clear();
        if (textWire) {
            wire.clear(); // a text wire keeps parser state beyond its bytes
        }
        if (payload > 0) {
            view.wrap(scratch.addressForWrite(0), payload);
            view.putBytes(0, buffer, offset + HEADER_LENGTH, payload);
        }
        scratch.readPositionRemaining(0, payload);
        if (checksum(payload) != buffer.getInt(offset + CHECKSUM_OFFSET, ORDER)) {
            throw new CodecException("the payload does not match the record's checksum (corrupt record)", r.name,
                    CHECKSUM_OFFSET, null);
        }
        try {
            ((Marshallable) target).readMarshallable(wire);
        } catch (Exception | StackOverflowError | AssertionError e) { // Chronicle also throws checked exceptions
            throw new CodecException("corrupt payload: " + e, r.name,
                    HEADER_LENGTH + Math.min(scratch.readPosition(), payload), e);
        }
    }

    private int checksum(long payload) {
        crc.reset();
        scratchBuffer.limit((int) payload).position(0);
        crc.update(scratchBuffer);
        return (int) crc.getValue();
    }

    /**
     * Writes a message as text, {@code Name: { field: value, ... }} in YAML or {@code {"Name":{...}}} in JSON (the
     * name is the one registered). For logs and tests; allocates.
     *
     * @param message a message of a registered type
     * @return its text form in this codec's format, or YAML when the format is binary
     */
    public String toText(Object message) {
        Objects.requireNonNull(message, "message");
        Registration r = registry.of(message.getClass());
        Bytes<?> bytes = Bytes.allocateElasticOnHeap(256);
        Wire text = textType().apply(bytes);
        try {
            text.write(r.name).marshallable((Marshallable) message);
        } catch (RuntimeException e) {
            throw new CodecException("could not write the message as text: " + e, r.name, bytes.writePosition(), e);
        }
        String s = bytes.toString();
        return format == WireFormat.JSON ? "{" + s + "}" : s;
    }

    /**
     * Reads the text form {@link #toText} writes.
     *
     * @param text the text, in this codec's format (YAML when the format is binary)
     * @return the message, never {@code null}
     * @throws CodecException when the text does not name a registered type or does not parse
     */
    public Object fromText(String text) {
        Objects.requireNonNull(text, "text");
        String body = text.strip();
        if (format == WireFormat.JSON && body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1);
        }
        Bytes<?> bytes = Bytes.from(body);
        Wire in = textType().apply(bytes);
        StringBuilder name = new StringBuilder();
        String typeName = "unknown";
        try {
            ValueIn value = in.readEventName(name);
            Registration r = registry.byName(name.toString());
            if (r == null) {
                throw new CodecException("'" + name + "' is not a registered message name (registered: "
                        + registry.names() + ")", "unknown", 0, null);
            }
            typeName = r.name;
            Object target = r.newInstance();
            value.marshallable((Marshallable) target);
            return target;
        } catch (CodecException e) {
            throw e;
        } catch (Exception | StackOverflowError | AssertionError e) { // Chronicle also throws checked exceptions
            throw new CodecException("unreadable text: " + e, typeName, bytes.readPosition(), e);
        }
    }

    private WireType textType() {
        return format == WireFormat.JSON ? WireType.JSON_ONLY : WireType.YAML_ONLY;
    }

    /** One registered type. */
    static final class Registration {
        final Class<?> type;
        final int typeId;
        final String name;
        private final Constructor<?> constructor;

        Registration(Class<?> type, int typeId, String name, Constructor<?> constructor) {
            this.type = type;
            this.typeId = typeId;
            this.name = name;
            this.constructor = constructor;
        }

        Object newInstance() {
            try {
                return constructor.newInstance();
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new CodecException("could not create a " + type.getName() + ": " + e, name, 0, e);
            }
        }
    }

    /** The registered types, shared (read-only) by every copy of a codec. */
    static final class Registry {
        final Int2ObjectHashMap<Registration> byId = new Int2ObjectHashMap<>();
        private final ClassValue<Registration> byClass = new ClassValue<>() {
            @Override
            protected Registration computeValue(Class<?> type) {
                for (Registration r : byId.values()) {
                    if (r.type == type) {
                        return r;
                    }
                }
                return null;
            }
        };

        Registration of(Class<?> type) {
            Registration r = byClass.get(type);
            if (r == null) {
                throw new CodecException(type.getName() + " is not registered with this codec (registered: "
                        + names() + ")", type.getName(), 0, null);
            }
            return r;
        }

        Registration byName(String name) {
            for (Registration r : byId.values()) {
                if (r.name.equals(name)) {
                    return r;
                }
            }
            return null;
        }

        String names() {
            return byId.values().stream().map(r -> r.name + "=" + r.typeId).sorted().collect(Collectors.joining(", "));
        }

        String ids() {
            return Arrays.toString(byId.keySet().stream().mapToInt(Integer::intValue).sorted().toArray());
        }
    }

    /**
     * Builds a {@link WireMessageCodec}: register each message type under a type id (and, for text, a name), choose
     * the format. Checks Chronicle Wire's JVM flags when built.
     */
    public static final class Builder {
        private final Registry registry = new Registry();
        private WireFormat format = WireFormat.BINARY;
        private int maxRecordLength = 64 * 1024;

        private Builder() {
        }

        /**
         * Registers a message type under its simple name.
         *
         * @param type   a {@link Marshallable} with a no-argument constructor (any visibility)
         * @param typeId the id its records carry; the same on every side of a channel
         * @return this builder
         * @throws IllegalArgumentException when the type is not a {@code Marshallable}, has no no-argument
         *                                  constructor, or the id or name is taken
         */
        public Builder register(Class<?> type, int typeId) {
            return register(type, typeId, type.getSimpleName());
        }

        /**
         * @param type   a {@link Marshallable} with a no-argument constructor (any visibility)
         * @param typeId the id its records carry; the same on every side of a channel
         * @param name   the name its text form carries
         * @return this builder
         * @throws IllegalArgumentException when the type is not a {@code Marshallable}, has no no-argument
         *                                  constructor, or the id or name is taken
         */
        public Builder register(Class<?> type, int typeId, String name) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            if (!Marshallable.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(type.getName() + " does not declare a wire form: it must implement "
                        + "net.openhft.chronicle.wire.Marshallable (e.g. extend SelfDescribingMarshallable)");
            }
            if (registry.byId.containsKey(typeId)) {
                throw new IllegalArgumentException("type id " + typeId + " is already registered to "
                        + registry.byId.get(typeId).type.getName());
            }
            if (registry.byName(name) != null || registry.byId.values().stream().anyMatch(r -> r.type == type)) {
                throw new IllegalArgumentException(type.getName() + " or the name '" + name + "' is already registered");
            }
            Constructor<?> constructor;
            try {
                constructor = type.getDeclaredConstructor();
                constructor.setAccessible(true);
            } catch (NoSuchMethodException | RuntimeException e) {
                throw new IllegalArgumentException(type.getName() + " needs an accessible no-argument constructor", e);
            }
            registry.byId.put(typeId, new Registration(type, typeId, name, constructor));
            return this;
        }

        /**
         * @param format the payload format (default {@link WireFormat#BINARY})
         * @return this builder
         */
        public Builder format(WireFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * @param config the configuration: {@code transport.wire-format}
         * @return this builder
         */
        public Builder config(io.vela.engine.VelaConfig config) {
            return format(config.get(io.vela.transport.TransportSettings.WIRE_FORMAT));
        }

        /**
         * @param bytes the largest record, header included, to write or accept (default 64 KiB)
         * @return this builder
         * @throws IllegalArgumentException when not in [{@value #MIN_RECORD}, 2^30]
         */
        public Builder maxRecordLength(int bytes) {
            if (bytes < MIN_RECORD || bytes > (1 << 30)) {
                throw new IllegalArgumentException("maxRecordLength = " + bytes + " is invalid; valid: an integer in ["
                        + MIN_RECORD + ", " + (1 << 30) + "]");
            }
            this.maxRecordLength = bytes;
            return this;
        }

        private static final int MIN_RECORD = 64;

        /**
         * @return the codec
         * @throws io.vela.engine.MissingJvmFlagException when a JVM flag Chronicle Wire needs is missing
         * @throws IllegalArgumentException               when no type is registered
         */
        public WireMessageCodec build() {
            ChronicleFlags.require();
            if (registry.byId.isEmpty()) {
                throw new IllegalArgumentException("register at least one message type");
            }
            Registry frozen = new Registry();
            frozen.byId.putAll(registry.byId);
            return new WireMessageCodec(format, frozen, maxRecordLength);
        }
    }
}
