package io.vela.engine.counters;

/**
 * Type ids of Vela's counters (Agrona's counter type id): what kind of thing a counter belongs to. A counter's label
 * is {@code "<kind> <name> <metric>"}, e.g. {@code "ring executor completed"}; the name may contain spaces, the kind
 * and the metric do not. Stateless.
 */
public final class CounterTypes {
    /** A ring: the executor, the timer. */
    public static final int RING = 1;
    /** One worker of a ring. */
    public static final int WORKER = 2;
    /** The blocking-work pool. */
    public static final int POOL = 3;
    /** An event-bus topic. */
    public static final int TOPIC = 4;
    /** A subscription to a topic (its name is {@code topic/subscription}). */
    public static final int SUBSCRIBER = 5;
    /** A channel. */
    public static final int CHANNEL = 6;
    /** The actor system. */
    public static final int ACTORS = 7;
    /** A component registered through {@code VelaRuntime.registerStats}. */
    public static final int COMPONENT = 8;

    private static final String[] KINDS = {"other", "ring", "worker", "pool", "topic", "subscriber", "channel",
        "actors", "component"};

    private CounterTypes() {
    }

    /**
     * @param typeId a type id
     * @return its kind as written in labels ({@code "other"} for an unknown id)
     */
    public static String kind(int typeId) {
        return typeId > 0 && typeId < KINDS.length ? KINDS[typeId] : KINDS[0];
    }

    /**
     * @param typeId the type id
     * @param name   the thing's name
     * @param metric the metric, without spaces
     * @return the label; a name too long for Agrona's label ({@link
     *         org.agrona.concurrent.status.CountersReader#MAX_LABEL_LENGTH} bytes of UTF-8) is cut, never the metric
     *         (unless the metric alone is too long), and never inside a character
     */
    public static String label(int typeId, String name, String metric) {
        int max = org.agrona.concurrent.status.CountersReader.MAX_LABEL_LENGTH;
        String kind = kind(typeId);
        int room = max - utf8Length(kind) - utf8Length(metric) - 2;
        return cut(kind + ' ' + cut(name, room) + ' ' + metric, max);
    }

    /** @return the longest prefix of {@code s} whose UTF-8 form fits in {@code maxBytes}, ending on a whole character */
    static String cut(String s, int maxBytes) {
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            bytes += utf8Length(cp);
            if (bytes > maxBytes) {
                return s.substring(0, i);
            }
            i += Character.charCount(cp);
        }
        return s;
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i))) {
            bytes += utf8Length(s.codePointAt(i));
        }
        return bytes;
    }

    /** Bytes of a code point in UTF-8 (a lone surrogate, written as one '?', is counted as 3: never too few). */
    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
}
