package io.vela.engine.internal;

import org.slf4j.Logger;

/** Logging that cannot throw: for the paths that report a user's failure and must carry on whatever it is. */
public final class Logging {
    private Logging() {
    }

    /**
     * Logs {@code message} with {@code error} at error level; if that throws (a throwable whose {@code getMessage}
     * or {@code toString} throws), logs its class name only; if that throws too, gives up silently.
     *
     * @param log     the logger
     * @param message what happened
     * @param error   the throwable, printed with its stack if it can be
     */
    public static void errorQuietly(Logger log, String message, Throwable error) {
        quietly(log, true, message, error);
    }

    /**
     * {@link #errorQuietly} at warn level.
     *
     * @param log     the logger
     * @param message what happened
     * @param error   the throwable, printed with its stack if it can be
     */
    public static void warnQuietly(Logger log, String message, Throwable error) {
        quietly(log, false, message, error);
    }

    private static void quietly(Logger log, boolean error, String message, Throwable t) {
        try {
            if (error) {
                log.error(message, t);
            } else {
                log.warn(message, t);
            }
        } catch (Throwable unprintable) {
            try {
                String shortForm = "{} ({} that cannot be printed: {})";
                String type = t.getClass().getName();
                String why = unprintable.getClass().getName();
                if (error) {
                    log.error(shortForm, message, type, why);
                } else {
                    log.warn(shortForm, message, type, why);
                }
            } catch (Throwable ignored) {
                // nothing more can be said without risking the caller
            }
        }
    }
}
