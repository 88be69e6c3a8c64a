package io.vela.bench.cli;

import io.vela.engine.counters.CountersDirectory;
import io.vela.engine.counters.StatTool;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vela-bench stat}: the {@code vela-stat} command. Lists the Vela processes of this host and prints one's
 * counters live, with rates per second, reading only their counters files (no JMX, no attach). The logic is the
 * engine's {@link StatTool}; this class only parses the options.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
        description = "Lists the Vela processes on this host and prints one's counters live (vela-stat).")
public final class StatCommand implements Callable<Integer> {
    @Option(names = "--pid", paramLabel = "PID",
            description = "The process to watch (default: the only one, else they are listed).")
    Long pid;

    @Option(names = "--file", paramLabel = "FILE",
            description = "The counters file to watch (a process running several runtimes has one file each).")
    Path file;

    @Option(names = "--once", description = "Print the counters once and exit.")
    boolean once;

    @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "1000",
            description = "Refresh interval (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "The counters directory, the processes' counters.dir (default: <java.io.tmpdir>/vela).")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StatTool tool = new StatTool(dir == null ? CountersDirectory.defaultDir() : dir, spec.commandLine().getOut(),
                System.console() != null);
        if (file != null) {
            return tool.watchFile(file, once, intervalMs, 0);
        }
        return tool.run(pid == null ? OptionalLong.empty() : OptionalLong.of(pid), once, intervalMs, 0);
    }
}
