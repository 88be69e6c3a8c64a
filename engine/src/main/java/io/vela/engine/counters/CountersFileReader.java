package io.vela.engine.counters;

import io.vela.engine.VelaException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * Reads a counters file of another (or this) process, mapped read-only: validates its header and takes snapshots of
 * its counters. Touches nothing of the writing process. One thread at a time; {@link #snapshot()} allocates the
 * list it returns. After {@link #close()} (which unmaps the file) {@link #snapshot()} throws: reading unmapped
 * memory would crash the JVM.
 */
public final class CountersFileReader implements AutoCloseable {
    private final Path file;
    private final MappedByteBuffer mapped;
    private final CountersReader reader;
    private final long pid;
    private final long startMillis;
    private boolean closed;

    private CountersFileReader(Path file, MappedByteBuffer mapped) {
        this.file = file;
        this.mapped = mapped;
        UnsafeBuffer whole = new UnsafeBuffer(mapped);
        if (whole.capacity() < CountersLayout.HEADER_LENGTH
                || whole.getIntAcquire(CountersLayout.MAGIC_OFFSET) != CountersLayout.MAGIC) {
            throw new VelaException(file + " is not a Vela counters file (or is not initialised yet)");
        }
        int version = whole.getInt(CountersLayout.VERSION_OFFSET);
        if (version != CountersLayout.VERSION) {
            throw new VelaException(file + " has counters layout version " + version + "; this reader knows "
                    + CountersLayout.VERSION);
        }
        int metadataLength = whole.getInt(CountersLayout.METADATA_LENGTH_OFFSET);
        int valuesLength = whole.getInt(CountersLayout.VALUES_LENGTH_OFFSET);
        if (metadataLength < 0 || valuesLength < 0 || (long) CountersLayout.HEADER_LENGTH + metadataLength
                + valuesLength > whole.capacity()
                || (long) metadataLength * CountersLayout.VALUE_PER_COUNTER
                != (long) valuesLength * CountersLayout.METADATA_PER_COUNTER) {
            throw new VelaException(file + " has inconsistent lengths: metadata " + metadataLength + ", values "
                    + valuesLength + ", file " + whole.capacity());
        }
        this.pid = whole.getLong(CountersLayout.PID_OFFSET);
        this.startMillis = whole.getLong(CountersLayout.START_OFFSET);
        this.reader = new CountersReader(new UnsafeBuffer(whole, CountersLayout.HEADER_LENGTH, metadataLength),
                new UnsafeBuffer(whole, CountersLayout.HEADER_LENGTH + metadataLength, valuesLength));
    }

    /**
     * @param file a counters file
     * @return a reader of it
     * @throws VelaException when it is missing, not a counters file, or of another layout version
     */
    public static CountersFileReader open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new VelaException("no counters file " + file);
        }
        MappedByteBuffer m;
        try {
            m = IoUtil.mapExistingFile(file.toFile(), FileChannel.MapMode.READ_ONLY, "vela counters");
        } catch (RuntimeException e) {
            throw new VelaException("cannot map the counters file " + file + ": " + e, e);
        }
        try {
            return new CountersFileReader(file, m);
        } catch (RuntimeException e) {
            IoUtil.unmap(m);
            throw e;
        }
    }

    /** @return the writing process's pid, from the header */
    public long pid() {
        return pid;
    }

    /** @return when the writer's counters were created, in epoch milliseconds */
    public long startMillis() {
        return startMillis;
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return whether the writer is alive and its file still there */
    public boolean writerAlive() {
        return CountersDirectory.isAlive(pid, startMillis) && Files.exists(file);
    }

    /**
     * @return every allocated counter's current value, in id order
     * @throws VelaException when this reader is closed
     */
    public List<CounterSample> snapshot() {
        if (closed) {
            throw new VelaException("the reader of " + file + " is closed");
        }
        List<CounterSample> out = new ArrayList<>();
        reader.forEach((CountersReader.MetaData) (id, typeId, key, label) ->
                out.add(new CounterSample(id, typeId, label, reader.getCounterValue(id),
                        reader.getCounterRegistrationId(id))));
        return out;
    }

    /** Unmaps the file; {@link #snapshot()} throws after. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            IoUtil.unmap(mapped);
        }
    }
}
