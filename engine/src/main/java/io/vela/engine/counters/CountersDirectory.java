package io.vela.engine.counters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of counters files: which belong to live processes, which were left by dead ones. A file's owner is
 * the pid in its name ({@code vela-<pid>-<n>.counters}), alive if a process of that pid runs and did not start after
 * the file was made (the start time in the file's header): a pid reused by a later process does not keep a dead
 * runtime's file alive. Stateless; any thread; allocates (it lists a directory and reads headers).
 */
public final class CountersDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(CountersDirectory.class);
    /** How much later than a file's start time its process may seem to start (clock and tick rounding). */
    private static final long START_SLACK_MILLIS = 2_000;
    /** A counters file being made is named {@code .vela-<pid>-<random>.init} until its header is written. */
    static final String MAKING_SUFFIX = ".init";

    private CountersDirectory() {
    }

    /** @return the default directory: {@code <java.io.tmpdir>/vela} */
    public static Path defaultDir() {
        return Paths.get(System.getProperty("java.io.tmpdir"), "vela");
    }

    /**
     * One counters file and its owner.
     *
     * @param pid  the owning process
     * @param file the file
     */
    public record Entry(long pid, Path file) {
    }

    /**
     * @param dir a counters directory (missing: none)
     * @return the counters files whose process is alive, by pid then file name
     */
    public static List<Entry> live(Path dir) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : all(dir)) {
            if (isAlive(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Deletes the counters files in {@code dir} whose process is gone.
     *
     * @param dir a counters directory
     * @return how many were deleted
     */
    public static int deleteStale(Path dir) {
        int n = deleteHalfMade(dir);
        for (Entry e : all(dir)) {
            if (!isAlive(e)) {
                try {
                    if (Files.deleteIfExists(e.file())) {
                        n++;
                        LOG.info("Deleted the counters file {} of process {}, which is gone", e.file(), e.pid());
                    }
                } catch (IOException ex) {
                    LOG.warn("Could not delete the stale counters file {}", e.file(), ex);
                }
            }
        }
        return n;
    }

    /**
     * Deletes files left under their hidden name ({@code .vela-<pid>-<random>.init}) by processes killed while they
     * made them; those of live processes may be in the making.
     */
    private static int deleteHalfMade(Path dir) {
        int n = 0;
        if (!Files.isDirectory(dir)) {
            return n;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "." + CountersLayout.PREFIX + "*"
                + MAKING_SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                int from = 1 + CountersLayout.PREFIX.length();
                int dash = name.indexOf('-', from);
                try {
                    if (dash > from && !isAlive(Long.parseLong(name.substring(from, dash)))
                            && Files.deleteIfExists(f)) {
                        n++;
                    }
                } catch (NumberFormatException | IOException e) {
                    LOG.debug("Left {} alone", f, e);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not list the counters directory {}", dir, e);
        }
        return n;
    }

    /**
     * @param pid a process id
     * @return whether that process is alive
     */
    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * @param pid         a process id
     * @param startMillis when that process's counters were made (epoch milliseconds, from the file's header)
     * @return whether that process is alive and is the one that made them (not a later one given the same pid)
     */
    public static boolean isAlive(long pid, long startMillis) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = p.get().info().startInstant();
        return started.isEmpty() || started.get().toEpochMilli() <= startMillis + START_SLACK_MILLIS;
    }

    private static boolean isAlive(Entry e) {
        OptionalLong start = startMillis(e.file());
        return start.isPresent() ? isAlive(e.pid(), start.getAsLong()) : isAlive(e.pid());
    }

    /** The start time in a counters file's header, if the header can be read and is initialised. */
    private static OptionalLong startMillis(Path file) {
        ByteBuffer header = ByteBuffer.allocate(CountersLayout.START_OFFSET + Long.BYTES);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // read the whole prefix
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        if (header.hasRemaining()) {
            return OptionalLong.empty();
        }
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            header.order(order);
            if (header.getInt(CountersLayout.MAGIC_OFFSET) == CountersLayout.MAGIC) {
                return OptionalLong.of(header.getLong(CountersLayout.START_OFFSET));
            }
        }
        return OptionalLong.empty();
    }

    /**
     * @param file a path
     * @return the pid in its name, if it is a counters file's name
     */
    public static OptionalLong pidOf(Path file) {
        String n = file.getFileName().toString();
        if (!n.startsWith(CountersLayout.PREFIX) || !n.endsWith(CountersLayout.SUFFIX)) {
            return OptionalLong.empty();
        }
        String middle = n.substring(CountersLayout.PREFIX.length(), n.length() - CountersLayout.SUFFIX.length());
        int dash = middle.indexOf('-');
        try {
            return OptionalLong.of(Long.parseLong(dash < 0 ? middle : middle.substring(0, dash)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static List<Entry> all(Path dir) {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, CountersLayout.PREFIX + "*"
                + CountersLayout.SUFFIX)) {
            for (Path f : files) {
                OptionalLong pid = pidOf(f);
                if (pid.isPresent()) {
                    out.add(new Entry(pid.getAsLong(), f));
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not list the counters directory {}", dir, e);
        }
        out.sort(Comparator.comparingLong(Entry::pid).thenComparing(e -> e.file().getFileName().toString()));
        return out;
    }
}
