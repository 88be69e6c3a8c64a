package io.vela.transport.aeron;

/** Where the Aeron media driver runs. Config names: {@code embedded}, {@code external}. */
public enum DriverMode {
    /** A {@code MediaDriver} inside this transport, in a directory of its own deleted on close. */
    EMBEDDED,
    /** A media driver already running on this host, reached through its directory ({@code transport.aeron.dir}). */
    EXTERNAL
}
