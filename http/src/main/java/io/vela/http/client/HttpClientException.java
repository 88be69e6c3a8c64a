package io.vela.http.client;

import io.vela.engine.VelaException;
import java.util.Objects;

/**
 * Why an {@link HttpClient} exchange failed; the future returned by {@link HttpClient#send} completes exceptionally
 * with one of these, {@link #reason()} saying which. An HTTP error status (4xx, 5xx) is a response, not this.
 */
public final class HttpClientException extends VelaException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** No connection within the connect timeout. */
        CONNECT_TIMEOUT,
        /** The connection could not be opened (refused, unreachable, unknown host). */
        CONNECT_FAILED,
        /** No complete response within the request timeout (measured from {@code send}, redirects included). */
        REQUEST_TIMEOUT,
        /** The response (headers or body) is larger than the client's limit; its connection was closed. */
        RESPONSE_TOO_LARGE,
        /** The connection closed (or failed) before the whole response arrived. */
        CONNECTION_CLOSED,
        /** The response could not be parsed. */
        MALFORMED_RESPONSE,
        /** Redirects were followed more times than the client's hop limit. */
        TOO_MANY_REDIRECTS,
        /** More requests wait for a connection to this host than the client allows. */
        POOL_EXHAUSTED,
        /** The client was closed before the response arrived (or before the request was sent). */
        CLIENT_CLOSED
    }

    private final Reason reason;

    /**
     * @param reason  what went wrong
     * @param message details: the URI and the limit involved
     * @param cause   the underlying failure, may be {@code null}
     */
    public HttpClientException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return what went wrong */
    public Reason reason() {
        return reason;
    }
}
