package io.vela.bench.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wrk}, when it is on the {@code PATH}: used for the saturation figure only (wrk has no fixed-rate mode
 * that avoids coordinated omission; the built-in generator measures latency). One wrk thread, like the built-in
 * generator.
 */
final class Wrk {
    private static final Pattern REQ_PER_SEC = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in");

    private Wrk() {
    }

    /** @return the {@code wrk} executable on the PATH, if any */
    static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "wrk");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * @param wrk         the executable
     * @param port        the server's port on 127.0.0.1
     * @param c           the request shape
     * @param connections open connections
     * @param seconds     run length (wrk has no separate warm-up: run it once before for that)
     * @return requests per second as wrk reports them
     */
    static double saturate(Path wrk, int port, HttpCase c, int connections, int seconds)
            throws IOException, InterruptedException {
        return number(REQ_PER_SEC, run(wrk, port, c, connections, seconds), "Requests/sec");
    }

    /**
     * @return how many requests wrk completed in its run ({@code N requests in ...}), checked like
     *         {@link #saturate}
     */
    static long requests(Path wrk, int port, HttpCase c, int connections, int seconds)
            throws IOException, InterruptedException {
        return (long) number(REQUESTS, run(wrk, port, c, connections, seconds), "requests in");
    }

    private static double number(Pattern p, String out, String what) {
        Matcher m = p.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no " + what + " in wrk's output: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** @return wrk's output, after checking that it ran and saw no error */
    private static String run(Path wrk, int port, HttpCase c, int connections, int seconds)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("vela-bench-wrk-", ".lua");
        try {
            String body = new String(c.body, StandardCharsets.UTF_8).replace("\\", "\\\\").replace("\"", "\\\"");
            Files.writeString(script, "wrk.method = \"" + c.method + "\"\n"
                    + (c.body.length > 0 ? "wrk.body = \"" + body + "\"\nwrk.headers[\"Content-Type\"] = "
                    + "\"application/json\"\n" : ""));
            List<String> cmd = new ArrayList<>(List.of(wrk.toString(), "-t1", "-c" + connections,
                    "-d" + seconds + "s", "-s", script.toString(), "http://127.0.0.1:" + port + c.path));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("wrk failed: " + out);
            }
            if (out.contains("Non-2xx") || out.contains("Socket errors")) {
                throw new IllegalStateException("wrk saw errors: " + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
