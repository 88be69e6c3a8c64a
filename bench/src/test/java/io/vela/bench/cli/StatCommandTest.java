package io.vela.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.bench.VelaBench;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(30)
class StatCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new VelaBench());
        cli.setOut(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void statWithNoProcessSaysSoAndExitsWithOne() {
        assertThat(run("stat", "--dir", dir.toString(), "--once")).isEqualTo(1);
        assertThat(out.toString()).contains("No Vela process");
    }

    @Test
    void statOncePrintsTheCountersOfTheGivenPid() {
        try (VelaRuntime vela = VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_DIR, dir.toString())
                .set(Settings.EXECUTOR_WORKERS, 1).build())) {
            vela.executor().submit(() -> 1).join();
            assertThat(run("stat", "--dir", dir.toString(), "--pid", String.valueOf(ProcessHandle.current().pid()),
                    "--once", "--interval-ms", "100")).isZero();
            assertThat(out.toString()).contains("worker", "executor#0", "completed");
        }
    }

    @Test
    void statWithFileWatchesTheSecondRuntimeOfAProcess() {
        VelaConfig config = VelaConfig.builder().set(Settings.COUNTERS_DIR, dir.toString())
                .set(Settings.EXECUTOR_WORKERS, 1).build();
        try (VelaRuntime a = VelaRuntime.start(config); VelaRuntime b = VelaRuntime.start(config)) {
            Path second = b.counters().file().orElseThrow();
            assertThat(run("stat", "--dir", dir.toString(), "--pid", String.valueOf(ProcessHandle.current().pid()),
                    "--once")).isZero();
            assertThat(out.toString()).contains(second.toString(), "--file");
            assertThat(run("stat", "--file", second.toString(), "--once")).isZero();
            assertThat(out.toString()).contains("executor#0", "completed");
            assertThat(run("stat", "--file", dir.resolve("missing.counters").toString(), "--once")).isEqualTo(1);
        }
    }
}
