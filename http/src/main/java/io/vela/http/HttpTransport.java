package io.vela.http;

/** Which Netty transport the server uses ({@code http.transport}). */
public enum HttpTransport {
    /** io_uring if available, else epoll if available, else NIO. */
    AUTO,
    /** Linux io_uring (fails to start where unavailable). */
    IO_URING,
    /** Linux epoll (fails to start where unavailable). */
    EPOLL,
    /** Java NIO, everywhere. */
    NIO
}
