package io.vela.http;

/**
 * Reads and writes JSON bodies for {@link HttpRequest#bodyAs(Class)} and {@link HttpResponse#json(int, Object)}.
 * The default is {@link JacksonJsonCodec}; set another with {@link HttpServer.Builder#json(JsonCodec)}.
 * Implementations must be safe to call from any thread at once.
 */
public interface JsonCodec {
    /**
     * @param value a value
     * @return its JSON, UTF-8
     * @throws IllegalArgumentException when it cannot be written
     */
    byte[] write(Object value);

    /**
     * @param json UTF-8 JSON
     * @param type the type to read
     * @param <T>  that type
     * @return the value
     * @throws IllegalArgumentException when {@code json} does not fit {@code type}
     */
    <T> T read(byte[] json, Class<T> type);
}
