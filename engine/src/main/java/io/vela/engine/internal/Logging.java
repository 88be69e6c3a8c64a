package io.vela.engine.internal;

import org.slf4j.Logger;

/** Logging that cannot throw: for the paths that report a user's failure and must carry on whatever it is. */
public final class Logging {
    private Logging() {
    }

    /**
     * Logs {@code message} with {@code error}; if that throws (a throwable whose {@code getMessage} or
     * {@code toString} throws), logs its class name only; if that throws too, gives up silently.
     *
     * @param log     the logger
     * @param message what happened
     * @param error   the throwable, printed with its stack if it can be
     */
    public static void errorQuietly(Logger log, String message, Throwable error) {
        try {
            log.error(message, error);
        } catch (Throwable unprintable) {
            try {
                log.error("{} ({} that cannot be printed: {})", message, error.getClass().getName(),
                        unprintable.getClass().getName());
            } catch (Throwable ignored) {
                // nothing more can be said without risking the caller
            }
        }
    }
}
