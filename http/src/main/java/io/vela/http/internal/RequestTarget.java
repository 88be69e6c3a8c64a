package io.vela.http.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The request-target and {@code Host} rules of RFC 9112 sections 3.2 and 3.3, for {@link RequestGuard}: origin-form
 * ({@code /path?query}) of visible ASCII with well-formed percent escapes; absolute-form ({@code http://host/path}),
 * rewritten to origin-form with {@code Host} taken from the target; asterisk-form for {@code OPTIONS} only;
 * {@code CONNECT} (authority-form) not implemented. Stateless; event loop only (it rewrites the request it checks).
 * Allocates only for an absolute-form target.
 */
final class RequestTarget {
    private RequestTarget() {
    }

    /**
     * Checks the target and {@code Host}; rewrites an absolute-form target to origin-form.
     *
     * @param req a decoded request head
     * @return the status to refuse it with, or empty when it may pass
     */
    static Optional<HttpResponseStatus> check(HttpRequest req) {
        if (HttpMethod.CONNECT.equals(req.method())) {
            return Optional.of(HttpResponseStatus.NOT_IMPLEMENTED);
        }
        String uri = req.uri();
        if (!visibleAscii(uri)) {
            return bad();
        }
        if (uri.equals("*")) {
            return HttpMethod.OPTIONS.equals(req.method()) ? Optional.empty() : bad();
        }
        if (!uri.startsWith("/") && !absoluteForm(req, uri)) {
            return bad();
        }
        String host = req.headers().get(HttpHeaderNames.HOST);
        return host == null || validHost(host) ? Optional.empty() : bad();
    }

    /** Rewrites {@code http(s)://authority/path?query} to origin-form; false when it is not a valid one. */
    private static boolean absoluteForm(HttpRequest req, String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            return false;
        }
        try {
            URI u = new URI(uri);
            if (u.getRawAuthority() == null || u.getRawUserInfo() != null || u.getRawFragment() != null) {
                return false;
            }
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            req.setUri(u.getRawQuery() == null ? path : path + "?" + u.getRawQuery());
            req.headers().set(HttpHeaderNames.HOST, u.getRawAuthority());
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Visible ASCII only (no control, space, DEL or non-ASCII octet), and every {@code %} followed by two hex. */
    private static boolean visibleAscii(String s) {
        return visibleAscii(s, 0, s.length());
    }

    private static boolean visibleAscii(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
            if (c == '%' && (i + 2 >= to || !hex(s.charAt(i + 1)) || !hex(s.charAt(i + 2)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code Host = uri-host [ ":" port ]}: a reg-name (unreserved, sub-delims, percent escapes), an IPv4 address,
     * or an IP literal in brackets; the port all digits. Empty is allowed (a target without authority).
     */
    static boolean validHost(String host) {
        int from = 0;
        int to = host.length();
        while (from < to && host.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && host.charAt(to - 1) <= ' ') {
            to--;
        }
        int portStart;
        if (from < to && host.charAt(from) == '[') {
            int close = host.indexOf(']', from);
            if (close < 0 || close >= to || !ipLiteral(host, from + 1, close)) {
                return false;
            }
            portStart = close + 1;
        } else {
            int colon = host.indexOf(':', from);
            portStart = colon < 0 || colon >= to ? to : colon;
            if (!visibleAscii(host, from, portStart) || !regName(host, from, portStart)) {
                return false;
            }
        }
        if (portStart == to) {
            return true;
        }
        if (host.charAt(portStart) != ':' || to - portStart > 6) {
            return false;
        }
        for (int i = portStart + 1; i < to; i++) {
            if (!digit(host.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean regName(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 0x80 || "-._~!$&'()*+,;=%".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean ipLiteral(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(hex(c) || c == ':' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }

    private static Optional<HttpResponseStatus> bad() {
        return Optional.of(HttpResponseStatus.BAD_REQUEST);
    }
}
