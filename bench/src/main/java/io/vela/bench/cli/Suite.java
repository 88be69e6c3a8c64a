package io.vela.bench.cli;

import java.util.List;

/**
 * One benchmark suite of the {@code vela-bench} CLI (for example {@code executor}, {@code floor}, {@code di}):
 * runs Vela and its peers side by side in the same run and returns one row per measured figure.
 */
public interface Suite {
    /** @return the suite's name, as given to {@code --suite} and written in the JSON {@code suite} key */
    String name();

    /**
     * Runs the suite.
     *
     * @param ctx the run's mode, progress sink and JMH launcher
     * @return the measured rows, never {@code null}
     * @throws Exception when a benchmark cannot run; the CLI reports it and goes on with the next suite
     */
    List<BenchResult> run(BenchContext ctx) throws Exception;

    /**
     * @return true (the default) if the suite runs when no {@code --suite} is given; false for suites that run only
     *         when named, to keep the default run short
     */
    default boolean inDefaultRun() {
        return true;
    }
}
