package io.vela.http.internal.client;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.vela.http.client.HttpClientException;
import io.vela.http.client.HttpClientException.Reason;
import java.net.URI;
import javax.net.ssl.SSLException;

/** Maps Netty's failures to {@link HttpClientException} reasons. */
final class Failures {
    private Failures() {
    }

    /** A failed pool acquire: connect failure, too many waiting, or a closed pool. */
    static HttpClientException acquire(Throwable cause, URI uri, boolean clientClosed) {
        if (clientClosed) {
            return closed(uri);
        }
        if (cause instanceof ConnectTimeoutException) {
            return new HttpClientException(Reason.CONNECT_TIMEOUT, uri + ": " + cause.getMessage(), cause);
        }
        if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).contains("outstanding")) {
            return new HttpClientException(Reason.POOL_EXHAUSTED, uri + ": too many requests wait for a connection "
                    + "to this host (maxPendingPerHost)", cause);
        }
        return new HttpClientException(Reason.CONNECT_FAILED, uri + ": " + cause, cause);
    }

    /** A failed TLS handshake (untrusted certificate, wrong host name, no common protocol). */
    static HttpClientException tls(Throwable cause, URI uri) {
        return new HttpClientException(Reason.CONNECT_FAILED, uri + ": TLS handshake failed: " + cause, cause);
    }

    /** @return whether {@code cause} is (or wraps) a TLS failure */
    static boolean isTls(Throwable cause) {
        return unwrap(cause) instanceof SSLException;
    }

    private static Throwable unwrap(Throwable cause) {
        return cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    }

    /** A failure on an open connection. */
    static HttpClientException io(Throwable cause, URI uri) {
        Throwable c = unwrap(cause);
        if (c instanceof SSLException) {
            return tls(c, uri);
        }
        if (c instanceof TooLongFrameException) {
            return new HttpClientException(Reason.RESPONSE_TOO_LARGE, uri + ": " + c.getMessage(), cause);
        }
        if (c instanceof PrematureChannelClosureException) {
            return new HttpClientException(Reason.CONNECTION_CLOSED, uri + ": " + c.getMessage(), cause);
        }
        if (c instanceof DecoderException || c instanceof IllegalArgumentException) {
            return new HttpClientException(Reason.MALFORMED_RESPONSE, uri + ": " + c, cause);
        }
        return new HttpClientException(Reason.CONNECTION_CLOSED, uri + ": " + c, cause);
    }

    /** The client is closed. */
    static HttpClientException closed(URI uri) {
        return new HttpClientException(Reason.CLIENT_CLOSED, uri + ": the client is closed", null);
    }
}
