package io.vela.bench.cli;

import java.io.PrintStream;
import java.util.Objects;

/** What a {@link Suite} gets for one run: the mode (quick or full), a progress sink on stderr and a JMH launcher. */
public final class BenchContext {
    private final boolean full;
    private final PrintStream progress;
    private final JmhSupport jmh;

    /**
     * @param full     true for {@code --full} (more forks, longer iterations)
     * @param progress where progress lines go (stderr)
     */
    public BenchContext(boolean full, PrintStream progress) {
        this.full = full;
        this.progress = Objects.requireNonNull(progress, "progress");
        this.jmh = new JmhSupport(this);
    }

    /** @return true in {@code --full} mode */
    public boolean full() {
        return full;
    }

    /** @param msg one progress line, printed to stderr */
    public void progress(String msg) {
        progress.println("[vela-bench] " + msg);
        progress.flush();
    }

    /** @return the JMH launcher */
    public JmhSupport jmh() {
        return jmh;
    }

    /** @return the settings for this mode: {@link JmhSettings#full()} or {@link JmhSettings#quick()} */
    public JmhSettings settings() {
        return full ? JmhSettings.full() : JmhSettings.quick();
    }

    /**
     * @return {@link #settings()} in full mode; in quick mode a shorter run: one 1-s warm-up and two 1-s measured
     *         iterations (for suites with many forks)
     */
    public JmhSettings compactSettings() {
        return full ? JmhSettings.full() : JmhSettings.quick().withWarmup(1, 1).withMeasurement(2, 1);
    }
}
