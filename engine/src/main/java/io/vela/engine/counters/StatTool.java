package io.vela.engine.counters;

import io.vela.engine.VelaException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code vela-stat} logic, without a CLI library: lists the Vela processes of this host (their counters files in
 * a directory) and prints one's counters every interval, with rates per second, reading only the mapped file (no
 * JMX, no attach). One thread; allocates per refresh.
 */
public final class StatTool {
    private final Path dir;
    private final PrintWriter out;
    private final boolean ansi;

    /**
     * @param dir  the counters directory ({@code counters.dir} of the watched processes)
     * @param out  where to print
     * @param ansi clear the screen before each refresh
     */
    public StatTool(Path dir, PrintWriter out, boolean ansi) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.out = Objects.requireNonNull(out, "out");
        this.ansi = ansi;
    }

    /**
     * Without a pid: lists the live processes' counters files, and watches the only one if there is exactly one.
     * With a pid: watches that process's counters file, or lists its files if it runs several runtimes (each is
     * then watched by its file, {@link #watch}).
     *
     * @param pid        the process to watch, if given
     * @param once       print one snapshot (no rates) and return
     * @param intervalMs refresh interval
     * @param maxRefreshes stop after this many refreshes (0: until the process ends)
     * @return the exit code: 0, or 1 when there is nothing to watch
     */
    public int run(OptionalLong pid, boolean once, long intervalMs, long maxRefreshes) {
        List<CountersDirectory.Entry> live = CountersDirectory.live(dir);
        CountersDirectory.Entry target = null;
        if (pid.isPresent()) {
            List<CountersDirectory.Entry> ofPid = new java.util.ArrayList<>();
            for (CountersDirectory.Entry e : live) {
                if (e.pid() == pid.getAsLong()) {
                    ofPid.add(e);
                }
            }
            if (ofPid.isEmpty()) {
                out.println("No Vela counters file of process " + pid.getAsLong() + " in " + dir);
                out.flush();
                return 1;
            }
            if (ofPid.size() > 1) { // several runtimes in one JVM: one file each
                out.print(StatFormatter.formatProcesses(ofPid));
                out.println("Several Vela runtimes in process " + pid.getAsLong() + ": choose one with --file");
                out.flush();
                return 0;
            }
            target = ofPid.get(0);
        } else {
            if (live.isEmpty()) {
                out.println("No Vela process with a counters file in " + dir);
                out.flush();
                return 1;
            }
            if (live.size() > 1) {
                out.print(StatFormatter.formatProcesses(live));
                out.println("Several Vela runtimes: choose one with --pid (or --file)");
                out.flush();
                return 0;
            }
            target = live.get(0);
        }
        return watchFile(target.file(), once, intervalMs, maxRefreshes);
    }

    /**
     * Watches one counters file (as {@link #watch}), saying why and failing when it cannot be read.
     *
     * @param file         the file (e.g. one of several runtimes of one process)
     * @param once         print one snapshot and return
     * @param intervalMs   refresh interval
     * @param maxRefreshes stop after this many refreshes (0: until the process ends)
     * @return the exit code: 0, or 1 when the file is missing or not a counters file
     */
    public int watchFile(Path file, boolean once, long intervalMs, long maxRefreshes) {
        try {
            return watch(file, once, intervalMs, maxRefreshes);
        } catch (VelaException gone) { // e.g. the process closed its runtime between the listing and the opening
            out.println(gone.getMessage());
            out.flush();
            return 1;
        }
    }

    /**
     * Prints a counters file's counters until its process ends.
     *
     * @param file         the file
     * @param once         print one snapshot and return
     * @param intervalMs   refresh interval
     * @param maxRefreshes stop after this many refreshes (0: until the process ends)
     * @return the exit code
     */
    public int watch(Path file, boolean once, long intervalMs, long maxRefreshes) {
        if (intervalMs < 1) {
            throw new VelaException("interval-ms = " + intervalMs + " is invalid; valid: an integer >= 1");
        }
        try (CountersFileReader reader = CountersFileReader.open(file)) {
            List<CounterSample> previous = List.of();
            long previousAt = System.nanoTime();
            for (long n = 0; maxRefreshes == 0 || n < maxRefreshes; n++) {
                List<CounterSample> now = reader.snapshot();
                long at = System.nanoTime();
                if (ansi) {
                    out.print("\033[H\033[2J");
                }
                out.print(StatFormatter.format(reader.pid(), reader.startMillis(), previous, now, at - previousAt));
                out.flush();
                if (once) {
                    return 0;
                }
                previous = now;
                previousAt = at;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMs));
                if (Thread.currentThread().isInterrupted()) {
                    return 0;
                }
                if (!reader.writerAlive()) {
                    out.println("Process " + reader.pid() + " has ended (or closed its runtime)");
                    out.flush();
                    return 0;
                }
            }
            return 0;
        }
    }
}
