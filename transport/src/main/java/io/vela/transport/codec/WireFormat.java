package io.vela.transport.codec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import net.openhft.chronicle.wire.WireType;

/**
 * The Chronicle Wire form a {@link WireMessageCodec} writes a record's payload in: {@link #BINARY} for speed,
 * {@link #YAML} and {@link #JSON} for humans, logs and tests. All three carry field names, so a message type can gain
 * fields without breaking older readers or writers.
 *
 * <p>Config names: {@code binary}, {@code yaml}, {@code json}.
 */
public enum WireFormat {
    /**
     * Chronicle's self-describing binary wire, light variant ({@code WireType.BINARY_LIGHT}: field names and typed
     * values, as {@code BINARY}, measured 1.4-2x faster here; ADR 0010).
     */
    BINARY(WireType.BINARY_LIGHT, (byte) 'B'),
    /** Chronicle's YAML wire: readable, slower. */
    YAML(WireType.YAML_ONLY, (byte) 'Y'),
    /** Chronicle's JSON wire: readable by any JSON tool, slower. */
    JSON(WireType.JSON_ONLY, (byte) 'J');

    private final WireType wireType;
    private final byte code;

    WireFormat(WireType wireType, byte code) {
        this.wireType = wireType;
        this.code = code;
    }

    WireType wireType() {
        return wireType;
    }

    /** @return the byte a record's header stores for this format */
    byte code() {
        return code;
    }

    /** @return the configuration name, e.g. {@code binary} */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a configuration name ({@code binary}, {@code yaml}, {@code json}; case-insensitive)
     * @return the format
     * @throws IllegalArgumentException naming the value and the valid values
     */
    public static WireFormat fromConfigName(String name) {
        for (WireFormat f : values()) {
            if (f.configName().equalsIgnoreCase(String.valueOf(name).trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("wire format '" + name + "' is invalid; valid: "
                + Arrays.stream(values()).map(WireFormat::configName).collect(Collectors.joining(", ")));
    }

    static WireFormat fromCode(byte code) {
        for (WireFormat f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return null;
    }
}
