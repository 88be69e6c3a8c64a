package io.vela.bench.transport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Case {@code codec} measured in CPU time of the measuring thread (nanoseconds per round trip), which time spent
 * descheduled does not inflate: the figure to read on a loaded machine, where JMH's wall-clock throughput swings by
 * 10x between runs. Runs the {@link CodecBenchmark} methods in turn, ten rounds; the last rounds are steady state.
 *
 * <pre>java --add-exports=... -cp bench/target/benchmarks.jar io.vela.bench.transport.CodecCpuTime</pre>
 */
public final class CodecCpuTime {
    private CodecCpuTime() {
    }

    /** One subject's round trip. */
    @FunctionalInterface
    private interface Op {
        long run() throws Exception;
    }

    /**
     * @param args ignored
     * @throws Exception when a subject fails
     */
    public static void main(String[] args) throws Exception {
        CodecBenchmark b = new CodecBenchmark();
        CodecBenchmark.Codecs c = new CodecBenchmark.Codecs();
        c.setup();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        String[] names = {"vela", "vela-reflective", "jackson", "chronicle-raw"};
        Op[] ops = {() -> b.vela(c), () -> b.velaReflective(c), () -> b.jackson(c), () -> b.chronicleRaw(c)};
        long sink = 0;
        for (int round = 0; round < 10; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int k = 0; k < ops.length; k++) {
                int n = names[k].equals("jackson") ? 100_000 : 500_000;
                long start = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    sink += ops[k].run();
                }
                long cpu = mx.getCurrentThreadCpuTime() - start;
                line.append(String.format(Locale.ROOT, "  %s %.0f ns", names[k], cpu / (double) n));
            }
            System.out.println(line);
        }
        System.out.println("(checksum " + (sink & 0xFF) + ")");
    }
}
