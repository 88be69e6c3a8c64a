package io.vela.http.internal;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answer header names checked once, not once per answer (ADR 0014, decision 7): a name a handler uses is validated
 * by Netty's own name validator the first time it is seen and kept as an {@link AsciiString} (hashed once, copied to
 * the wire as bytes); answers are built with {@link #FACTORY}, which validates every value but not the names, so
 * every name must come through {@link #checked}. At most {@value #CAPACITY} names are kept; past that a name is
 * validated each time (a handler that makes up names per request costs what it did before). Any thread; allocates
 * only when it meets a new name.
 */
final class HeaderNames {
    /** Headers of answers: values validated (no CR/LF splitting), names validated by {@link #checked}. */
    static final HttpHeadersFactory FACTORY = DefaultHttpHeadersFactory.headersFactory().withNameValidation(false);
    private static final DefaultHeaders.NameValidator<CharSequence> VALIDATOR =
            DefaultHttpHeadersFactory.headersFactory().getNameValidator();
    private static final int CAPACITY = 1024;
    private static final ConcurrentHashMap<String, AsciiString> NAMES = new ConcurrentHashMap<>();

    private HeaderNames() {
    }

    /**
     * @param name a header name from an answer
     * @return the name, validated
     * @throws IllegalArgumentException when Netty refuses it as a header name
     */
    static CharSequence checked(String name) {
        AsciiString known = NAMES.get(name);
        if (known != null) {
            return known;
        }
        VALIDATOR.validateName(name);
        AsciiString ascii = new AsciiString(name);
        if (NAMES.size() < CAPACITY) {
            NAMES.putIfAbsent(name, ascii);
        }
        return ascii;
    }
}
