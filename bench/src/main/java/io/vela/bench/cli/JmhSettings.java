package io.vela.bench.cli;

/**
 * Forks, warm-up and measurement settings for one JMH run.
 *
 * @param forks              JMH forks; results of several forks are reported as their median
 * @param warmupIterations   warm-up iterations per fork
 * @param warmupSeconds      seconds per warm-up iteration
 * @param measureIterations  measured iterations per fork
 * @param measureSeconds     seconds per measured iteration
 * @param threads            JMH threads (benchmark callers); 0 for what the class's {@code @Threads} says
 */
public record JmhSettings(int forks, int warmupIterations, int warmupSeconds, int measureIterations, int measureSeconds,
        int threads) {

    /** @return the quick mode: one fork, short iterations (the README's main job) */
    public static JmhSettings quick() {
        return new JmhSettings(1, 2, 1, 3, 1, 0);
    }

    /** @return the full mode: three forks, longer iterations (forks compared fork by fork) */
    public static JmhSettings full() {
        return new JmhSettings(3, 5, 2, 5, 2, 0);
    }

    /**
     * @param iterations warm-up iterations
     * @param seconds    seconds per warm-up iteration
     * @return a copy with a different warm-up
     */
    public JmhSettings withWarmup(int iterations, int seconds) {
        return new JmhSettings(forks, iterations, seconds, measureIterations, measureSeconds, threads);
    }

    /**
     * @param iterations measured iterations
     * @param seconds    seconds per measured iteration
     * @return a copy with a different measurement
     */
    public JmhSettings withMeasurement(int iterations, int seconds) {
        return new JmhSettings(forks, warmupIterations, warmupSeconds, iterations, seconds, threads);
    }

    /**
     * @param n forks
     * @return a copy with a different fork count
     */
    public JmhSettings withForks(int n) {
        return new JmhSettings(n, warmupIterations, warmupSeconds, measureIterations, measureSeconds, threads);
    }

    /**
     * @param n JMH threads, overriding the class's {@code @Threads}
     * @return a copy with a different thread count
     */
    public JmhSettings withThreads(int n) {
        return new JmhSettings(forks, warmupIterations, warmupSeconds, measureIterations, measureSeconds, n);
    }
}
