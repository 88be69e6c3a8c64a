package io.vela.bench.http;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The server's CPU time and context switches per request, steadier than req/s on a shared machine: for each subject
 * (a server JVM of its own, as in {@link HttpSuite}) and case, saturates it with {@code wrk -t1 -c16} for a warm-up
 * and then a measured run, reading the server's {@code /proc/<pid>/stat} (user + system time of every thread) and
 * the voluntary and involuntary context switches of each of its threads ({@code /proc/<pid>/task/<tid>/status})
 * before and after the measured run, divided by the requests wrk completed (and, last column, the CPU of its JIT
 * compiler threads, part of the first figure: a 2 s warm-up leaves them at work in the measured run); then the
 * latency at the suite's fixed rate ({@link HttpSuite#RATE}, built-in generator, as long as the measured run).
 * Linux and {@code wrk} only.
 *
 * <pre>java -cp bench/target/vela-bench.jar io.vela.bench.http.CostPerRequest [seconds] [rounds] [subject...]</pre>
 *
 * Rounds interleave the subjects (subject A, B, C, then A, B, C again), so a change in the machine's load touches
 * them alike. Prints one line per subject, case and round.
 */
public final class CostPerRequest {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private static final PrintStream OUT = System.out;

    private CostPerRequest() {
    }

    /**
     * @param args measured seconds per run (default 5), rounds (default 3), subjects (default vela, vela-loop,
     *             netty-raw)
     * @throws Exception when a server or wrk fails
     */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> subjects = args.length > 2 ? List.of(args).subList(2, args.length)
                : List.of("vela", "vela-loop", "netty-raw");
        Path wrk = Wrk.find().orElseThrow(() -> new IllegalStateException("wrk is not on the PATH"));
        OUT.println("subject case round requests req/s cpu_us/req vcsw/req ivcsw/req p50_us p99_us jit_us/req");
        for (int round = 1; round <= rounds; round++) {
            for (String subject : subjects) {
                try (ServerProcess server = new ServerProcess(subject, 1)) {
                    for (HttpCase c : HttpCase.values()) {
                        Wrk.requests(wrk, server.port(), c, 16, 2); // warm-up
                        long[] before = sample(server.pid());
                        long requests = Wrk.requests(wrk, server.port(), c, 16, seconds);
                        long[] after = sample(server.pid());
                        double cpuUs = (after[0] - before[0]) * 1e6 / TICKS_PER_SECOND / requests;
                        Histogram h;
                        try (LoadGenerator gen = new LoadGenerator(server.port(), c, 16)) {
                            h = gen.fixedRate(HttpSuite.RATE, 1_000, seconds * 1_000L);
                        }
                        OUT.printf(Locale.ROOT, "%s %s %d %d %.0f %.2f %.3f %.3f %.0f %.0f %.2f%n", subject,
                                c.caseName, round, requests, requests / (double) seconds, cpuUs,
                                (after[1] - before[1]) / (double) requests, (after[2] - before[2]) / (double) requests,
                                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                                (after[3] - before[3]) * 1e6 / TICKS_PER_SECOND / requests);
                    }
                }
            }
        }
    }

    /**
     * @return CPU ticks (user + system), voluntary and involuntary context switches of the process's threads, and the
     *         CPU ticks of its JIT compiler threads (included in the first: a short warm-up leaves them at work)
     */
    private static long[] sample(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
        long voluntary = 0;
        long involuntary = 0;
        List<Path> tasks = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            dir.forEach(tasks::add);
        }
        long jit = 0;
        for (Path task : tasks) {
            jit += jitTicks(task);
            List<String> lines;
            try {
                lines = Files.readAllLines(task.resolve("status"), StandardCharsets.US_ASCII);
            } catch (IOException threadGone) {
                continue;
            }
            for (String line : lines) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    voluntary += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                    involuntary += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        return new long[] {ticks, voluntary, involuntary, jit};
    }

    /** @return the thread's CPU ticks when it is a HotSpot JIT compiler thread ({@code C1/C2 CompilerThread}) */
    private static long jitTicks(Path task) {
        String stat;
        try {
            stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (IOException threadGone) {
            return 0;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (!name.contains("CompilerThre")) {
            return 0;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
