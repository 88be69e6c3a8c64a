package io.vela.engine.counters;

import io.vela.engine.VelaException;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a runtime's counters live: an Agrona {@link CountersManager} over a memory-mapped file (readable by
 * {@code vela-stat} from another process, as Aeron's counters file is) or, when the file is off, over a direct
 * buffer of this process with the same layout ({@link CountersLayout}).
 *
 * <p>Threads: {@link #newCounter} and {@link #free} may be called from any thread (they lock; they are called when a
 * ring, topic or channel is made or goes away, never per task). The {@link AtomicCounter}s they return are written by
 * their owners without locks: single-writer counters with release stores, shared counters with {@code getAndAdd};
 * each value sits in its own 128-byte slot. Allocates only in {@code newCounter} (the counter object) and in
 * {@link #mapped}/{@link #inProcess} (the buffers).
 *
 * <p>{@link #close()} deletes the file but does not unmap it: counters stay readable in this process (by
 * {@code stats()} after close) until the buffer is garbage; another process sees the file gone.
 */
public final class VelaCounters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VelaCounters.class);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /**
     * How long a freed slot is kept from reuse by default, in ms (Aeron's default for its counters): long past the
     * moment a late writer or reader that fetched the counter before its owner freed it touches it.
     */
    public static final long DEFAULT_REUSE_MS = 1000L;

    private final CountersManager manager;
    private final Path file;
    private final long startMillis;
    private final int capacity;
    /** Counters beyond the capacity: invisible outside the process, so that no owner is left without a counter. */
    private CountersManager spill;
    private long registrations;
    /** The counters in the file's buffer (not the spilled ones), so that only they are freed there. */
    private final java.util.Set<AtomicCounter> inFile =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Run once at {@link #close()}, e.g. to remove Micrometer meters that would keep the runtime reachable. */
    private final java.util.List<Runnable> onClose = new java.util.ArrayList<>();
    private boolean closed;

    private VelaCounters(AtomicBuffer whole, Path file, int capacity, long startMillis, long reuseMillis) {
        int metadataLength = capacity * CountersLayout.METADATA_PER_COUNTER;
        int valuesLength = capacity * CountersLayout.VALUE_PER_COUNTER;
        AtomicBuffer metadata = new UnsafeBuffer(whole, CountersLayout.HEADER_LENGTH, metadataLength);
        AtomicBuffer values = new UnsafeBuffer(whole, CountersLayout.HEADER_LENGTH + metadataLength, valuesLength);
        // a freed slot is reused only after reuseMillis: a late writer's add lands in no other owner's count. The
        // clock is monotonic (milliseconds of nanoTime), so that a wall clock stepped back keeps no slot from reuse
        // longer; the deadline Agrona writes in a freed slot's metadata means nothing outside this process.
        this.manager = new CountersManager(metadata, values, java.nio.charset.StandardCharsets.UTF_8,
                () -> System.nanoTime() / 1_000_000L, reuseMillis);
        this.file = file;
        this.capacity = capacity;
        this.startMillis = startMillis;
        CountersLayout.writeHeader(whole, ProcessHandle.current().pid(), startMillis, metadataLength, valuesLength);
    }

    /**
     * Counters in a new file {@code dir/vela-<pid>-<n>.counters}; files in {@code dir} left by processes that are
     * gone are deleted first.
     *
     * @param dir      the directory (created if missing)
     * @param capacity the most counters visible in the file
     * @return the counters, whose freed slots wait {@link #DEFAULT_REUSE_MS} before reuse
     * @throws VelaException when the file cannot be created
     */
    public static VelaCounters mapped(Path dir, int capacity) {
        return mapped(dir, capacity, DEFAULT_REUSE_MS);
    }

    /**
     * Counters in a new file {@code dir/vela-<pid>-<n>.counters}; files in {@code dir} left by processes that are
     * gone are deleted first.
     *
     * @param dir         the directory (created if missing)
     * @param capacity    the most counters visible in the file
     * @param reuseMillis how long a freed counter's slot waits before another owner gets it
     * @return the counters
     * @throws VelaException when the file cannot be created
     */
    public static VelaCounters mapped(Path dir, int capacity, long reuseMillis) {
        long start = System.currentTimeMillis();
        long pid = ProcessHandle.current().pid();
        // made under a name of its own that readers do not list, and published under its name once its header is
        // written: a reader never sees a counters file that is not initialised yet
        Path making = dir.resolve("." + CountersLayout.PREFIX + pid + "-"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                + CountersDirectory.MAKING_SUFFIX);
        Path file = null;
        try {
            Files.createDirectories(dir);
            CountersDirectory.deleteStale(dir);
            // what is left of this pid is live: another class loader's runtimes, numbered by their own sequence
            do {
                file = dir.resolve(CountersLayout.PREFIX + pid + "-" + SEQUENCE.incrementAndGet()
                        + CountersLayout.SUFFIX);
            } while (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS));
            MappedByteBuffer mapped = IoUtil.mapNewFile(making.toFile(), CountersLayout.fileLength(capacity), true);
            VelaCounters counters = new VelaCounters(new UnsafeBuffer(mapped), file, capacity, start, reuseMillis);
            publish(making, file);
            file.toFile().deleteOnExit(); // a runtime never closed: gone when the JVM exits normally
            return counters;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(making);
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            throw new VelaException("cannot create the counters file " + (file == null ? "in " + dir : file)
                    + " (counters.dir = " + dir + "; set counters.file = false to keep counters in the process): "
                    + e, e);
        }
    }

    /** Gives the made file its name, never replacing a file of that name (a hard link fails if it exists). */
    private static void publish(Path making, Path file) throws IOException {
        try {
            Files.createLink(file, making);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            if (e instanceof java.nio.file.FileAlreadyExistsException) {
                throw (java.nio.file.FileAlreadyExistsException) e;
            }
            // no hard links here: a rename, which would replace a file made under that name since the check
            Files.move(making, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Files.delete(making);
    }

    /**
     * Counters in a direct buffer of this process, in the file's layout, invisible outside it.
     *
     * @param capacity the most counters
     * @return the counters, whose freed slots wait {@link #DEFAULT_REUSE_MS} before reuse
     */
    public static VelaCounters inProcess(int capacity) {
        return inProcess(capacity, DEFAULT_REUSE_MS);
    }

    /**
     * Counters in a direct buffer of this process, in the file's layout, invisible outside it.
     *
     * @param capacity    the most counters
     * @param reuseMillis how long a freed counter's slot waits before another owner gets it
     * @return the counters
     */
    public static VelaCounters inProcess(int capacity, long reuseMillis) {
        return new VelaCounters(buffer((int) CountersLayout.fileLength(capacity)), null, capacity,
                System.currentTimeMillis(), reuseMillis);
    }

    /** A zeroed, cache-line-aligned buffer outside the Java heap (Agrona wants 8-byte alignment for its atomics). */
    private static UnsafeBuffer buffer(int length) {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, 64));
    }

    /**
     * A new counter, starting at 0.
     *
     * @param typeId one of {@link CounterTypes}
     * @param name   the ring's, topic's or channel's name
     * @param metric what it counts, without spaces
     * @return the counter (past the capacity, one that only this process sees; a warning says so once)
     */
    public synchronized AtomicCounter newCounter(int typeId, String name, String metric) {
        String label = CounterTypes.label(typeId, name, metric);
        if (manager.available() > 0) {
            int id = manager.allocate(label, typeId);
            manager.setCounterRegistrationId(id, ++registrations); // tells a reused slot from its former owner
            AtomicCounter c = new AtomicCounter(manager.valuesBuffer(), id);
            inFile.add(c);
            return c;
        }
        if (spill == null) {
            LOG.warn("More than {} Vela counters (counters.capacity): counters from '{}' on are not in {}", capacity,
                    label, file == null ? "the counters buffer" : file);
            spill = new CountersManager(buffer(64 * CountersLayout.METADATA_PER_COUNTER),
                    buffer(64 * CountersLayout.VALUE_PER_COUNTER));
        }
        return spill.available() == 0 // beyond the spill too: a buffer of its own
                ? new AtomicCounter(buffer(CountersLayout.VALUE_PER_COUNTER), 0)
                : new AtomicCounter(spill.valuesBuffer(), spill.allocate(label, typeId));
    }

    /**
     * Frees a counter: its slot may be reused once the reuse timeout has passed (until then a late write through
     * {@code counter} lands in no other owner's count). Idempotent.
     *
     * @param counter a counter from {@link #newCounter}
     */
    public synchronized void free(AtomicCounter counter) {
        if (counter != null && inFile.remove(counter)) {
            manager.free(counter.id());
        }
    }

    /** @return a reader of these counters (this process's view) */
    public CountersReader reader() {
        return manager;
    }

    /** @return the counters file, if the counters are in one */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** @return when these counters were created, in epoch milliseconds */
    public long startMillis() {
        return startMillis;
    }

    /**
     * Runs {@code action} when these counters are closed (at once if they are): whoever reads them from outside
     * the runtime (a Micrometer binder) lets go of them then.
     *
     * @param action run once, on the closing thread; what it throws is logged
     */
    public void onClose(Runnable action) {
        java.util.Objects.requireNonNull(action, "action");
        synchronized (this) {
            if (!closed) {
                onClose.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    /** @return whether {@link #close()} was called */
    public synchronized boolean isClosed() {
        return closed;
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("A counters close action threw", e);
        }
    }

    /**
     * Deletes the file (the mapping stays valid in this process until it is garbage) and runs the {@link #onClose}
     * actions. Idempotent.
     */
    @Override
    public void close() {
        java.util.List<Runnable> actions;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            actions = new java.util.ArrayList<>(onClose);
            onClose.clear();
        }
        actions.forEach(VelaCounters::runQuietly);
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Could not delete the counters file {}", file, e);
            }
        }
    }

    @Override
    public String toString() {
        return "VelaCounters[" + (file == null ? "in-process" : file.toString()) + ", capacity=" + capacity + "]";
    }
}
