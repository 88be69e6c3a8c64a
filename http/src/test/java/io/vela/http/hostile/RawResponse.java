package io.vela.http.hostile;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.x response as it came off the wire: status line, headers in order (names as sent), body after
 * de-chunking. Immutable; built by {@link RawConnection}, used by one test thread.
 *
 * @param version the protocol text of the status line, e.g. {@code HTTP/1.1}
 * @param status  the status code
 * @param reason  the reason phrase (may be empty)
 * @param headers the header fields in the order received
 * @param body    the body bytes (empty for 1xx, 204, 304 and when none was sent)
 */
record RawResponse(String version, int status, String reason, List<Map.Entry<String, String>> headers,
                   byte[] body) {

    /** @return the first value of the named header (case-insensitive), if present */
    Optional<String> header(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return headers.stream().filter(h -> h.getKey().toLowerCase(Locale.ROOT).equals(lower))
                .map(Map.Entry::getValue).findFirst();
    }

    /** @return the body decoded as UTF-8 */
    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return whether this is an interim (1xx) response */
    boolean interim() {
        return status >= 100 && status < 200;
    }

    /** @return whether the response announces that the server closes the connection */
    boolean announcesClose() {
        return header("Connection").map(v -> v.toLowerCase(Locale.ROOT).contains("close")).orElse(false);
    }

    @Override
    public String toString() {
        return version + " " + status + " " + reason + " " + headers + " body[" + body.length + "]";
    }
}
