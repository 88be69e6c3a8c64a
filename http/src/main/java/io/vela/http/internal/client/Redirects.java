package io.vela.http.internal.client;

import io.vela.http.client.HttpClientRequest;
import io.vela.http.client.HttpClientResponse;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The next hop of a redirect: 303 (and 301/302 after a POST) become GET without a body; 307/308 keep both. */
final class Redirects {
    private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");
    private Redirects() {
    }

    /**
     * @param req      the request that was answered
     * @param response its answer
     * @return the request to send next, or empty if the response is not a redirect to an http(s) URI
     */
    static Optional<HttpClientRequest> next(HttpClientRequest req, HttpClientResponse response) {
        int s = response.status();
        if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
            return Optional.empty();
        }
        Optional<String> location = response.header("location");
        if (location.isEmpty()) {
            return Optional.empty();
        }
        URI target;
        try {
            target = req.uri().resolve(location.get().trim());
        } catch (IllegalArgumentException bad) {
            return Optional.empty();
        }
        if (!("http".equalsIgnoreCase(target.getScheme()) || "https".equalsIgnoreCase(target.getScheme()))
                || target.getHost() == null) {
            return Optional.empty();
        }
        boolean toGet = (s == 303 && !"HEAD".equals(req.method()))
                || ((s == 301 || s == 302) && "POST".equals(req.method()));
        HttpClientRequest next = toGet
                ? HttpClientRequest.of("GET", target, new byte[0], "")
                : HttpClientRequest.of(req.method(), target, req.body(), req.contentType());
        boolean sameOrigin = PoolKey.of(target).equals(PoolKey.of(req.uri()));
        for (Map.Entry<String, String> h : req.headers()) {
            if (!sameOrigin && CREDENTIALS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                continue; // credentials are not handed to another host
            }
            next = next.withHeader(h.getKey(), h.getValue());
        }
        return Optional.of(next);
    }
}
