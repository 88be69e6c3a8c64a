package io.vela.http;

import io.vela.engine.VelaException;

/** Thrown by a handler (or by {@link HttpRequest#bodyAs(Class)}) to answer with a given status and a text body. */
public class HttpStatusException extends VelaException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /**
     * @param status  the HTTP status to answer with (400..599)
     * @param message the response body text
     */
    public HttpStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * @param status  the HTTP status to answer with
     * @param message the response body text
     * @param cause   the cause
     */
    public HttpStatusException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }
}
