package io.vela.engine.counters;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * The layout of a Vela counters file (or of the in-process buffer with the same layout when the file is off): a
 * header of {@value #HEADER_LENGTH} bytes, then Agrona's counters metadata buffer ({@value #METADATA_PER_COUNTER}
 * bytes per counter), then its values buffer ({@value #VALUE_PER_COUNTER} bytes per counter, so that counters of
 * different writers never share a cache line).
 *
 * <p>Header fields, little-endian as Agrona writes them: magic ({@code int}, written last, with a release store, so
 * that a reader who sees it sees the rest), layout version ({@code int}), pid ({@code long}), start time in epoch
 * milliseconds ({@code long}), metadata length ({@code int}), values length ({@code int}). Stateless; any thread.
 */
public final class CountersLayout {
    /** "VELA" in ASCII: the first four bytes of every counters file. */
    public static final int MAGIC = 0x414C4556;
    /** The version of this layout; a reader refuses any other. */
    public static final int VERSION = 1;
    /** Bytes before the metadata buffer. */
    public static final int HEADER_LENGTH = 128;
    /** Metadata bytes per counter (Agrona's record length). */
    public static final int METADATA_PER_COUNTER = CountersReader.METADATA_LENGTH;
    /** Value bytes per counter (Agrona's counter length: two cache lines). */
    public static final int VALUE_PER_COUNTER = CountersReader.COUNTER_LENGTH;
    /** Counters files are named {@code vela-<pid>-<n>}{@value #SUFFIX}. */
    public static final String SUFFIX = ".counters";
    /** Counters files' names start with this. */
    public static final String PREFIX = "vela-";

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int PID_OFFSET = 8;
    static final int START_OFFSET = 16;
    static final int METADATA_LENGTH_OFFSET = 24;
    static final int VALUES_LENGTH_OFFSET = 28;

    private CountersLayout() {
    }

    /**
     * @param capacity counters
     * @return bytes of a file holding that many counters
     */
    public static long fileLength(int capacity) {
        return HEADER_LENGTH + (long) capacity * (METADATA_PER_COUNTER + VALUE_PER_COUNTER);
    }

    static void writeHeader(AtomicBuffer b, long pid, long startMillis, int metadataLength, int valuesLength) {
        b.putInt(VERSION_OFFSET, VERSION);
        b.putLong(PID_OFFSET, pid);
        b.putLong(START_OFFSET, startMillis);
        b.putInt(METADATA_LENGTH_OFFSET, metadataLength);
        b.putInt(VALUES_LENGTH_OFFSET, valuesLength);
        b.putIntRelease(MAGIC_OFFSET, MAGIC);
    }
}
