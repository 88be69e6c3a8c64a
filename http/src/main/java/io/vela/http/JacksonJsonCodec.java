package io.vela.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;

/** {@link JsonCodec} on Jackson databind: one shared {@link ObjectMapper} (thread-safe once configured). */
public final class JacksonJsonCodec implements JsonCodec {
    private static final JacksonJsonCodec DEFAULT = new JacksonJsonCodec(new ObjectMapper());
    private final ObjectMapper mapper;

    /** @param mapper a configured mapper, not changed after this call */
    public JacksonJsonCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** @return a codec with Jackson's default mapper */
    public static JacksonJsonCodec defaultCodec() {
        return DEFAULT;
    }

    @Override
    public byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    @Override
    public <T> T read(byte[] json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON for " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
