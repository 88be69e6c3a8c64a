package io.vela.bench.http;

import io.vela.bench.cli.JmhSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One subject's server in a forked JVM ({@link ServerMain}) with the JMH forks' flags, so every subject runs with
 * the same heap and flags. {@link #close()} closes the fork's stdin and waits for it to exit (killing it after
 * 10 s). The fork's stderr goes to a temporary file, named in any error.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    ServerProcess(String subject, int eventLoops) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JmhSupport.FORK_JVM_ARGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), subject,
                Integer.toString(eventLoops)));
        log = Files.createTempFile("vela-bench-http-" + subject + "-", ".log");
        process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> portLine = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("PORT ")) {
                        return Integer.parseInt(line.substring(5).trim());
                    }
                }
                return -1;
            } catch (IOException e) {
                return -1;
            }
        });
        int p;
        try {
            p = portLine.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            p = -1;
        }
        if (p <= 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the " + subject + " server did not start; its stderr: " + log + ": "
                    + lastLines());
        }
        this.port = p;
    }

    int port() {
        return port;
    }

    /** @return the server JVM's process id (for {@link CostPerRequest}'s reads of {@code /proc}) */
    long pid() {
        return process.pid();
    }

    private String lastLines() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
