package io.vela.engine.counters;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of counters files: which belong to live processes, which were left by dead ones. A file's owner is
 * the pid in its name ({@code vela-<pid>-<n>.counters}). Stateless; any thread; allocates (it lists a directory).
 */
public final class CountersDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(CountersDirectory.class);

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
            if (isAlive(e.pid())) {
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
        int n = 0;
        for (Entry e : all(dir)) {
            if (!isAlive(e.pid())) {
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
     * @param pid a process id
     * @return whether that process is alive
     */
    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
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
