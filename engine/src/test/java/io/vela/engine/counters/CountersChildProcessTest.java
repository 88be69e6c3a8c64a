package io.vela.engine.counters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading the counters of another JVM, as vela-stat does; and the file a killed JVM leaves behind. */
@Timeout(40)
class CountersChildProcessTest {
    @TempDir
    Path dir;

    private Process startChild() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native") || a.startsWith("--sun-misc")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx64m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CountersChild.class.getName());
        cmd.add(dir.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static long completed(CountersFileReader r) {
        return r.snapshot().stream().filter(s -> s.label().equals("worker executor#0 completed"))
                .mapToLong(CounterSample::value).sum();
    }

    @Test
    void anotherProcessesCountersAreReadLiveAndItsFileGoesWhenItEnds() throws Exception {
        Process child = startChild();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> CountersDirectory.live(dir).stream()
                    .anyMatch(e -> e.pid() == child.pid()));
            Path file = CountersDirectory.live(dir).get(0).file();
            try (CountersFileReader reader = CountersFileReader.open(file)) {
                assertThat(reader.pid()).isEqualTo(child.pid());
                long first = completed(reader);
                await().atMost(Duration.ofSeconds(10)).until(() -> completed(reader) > first + 100);
            }
            child.getOutputStream().close(); // the child closes its runtime and exits
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(file).doesNotExist();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aKilledProcessesFileIsStaleNotListedAndDeleted() throws Exception {
        Process child = startChild();
        Path file;
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !CountersDirectory.live(dir).isEmpty());
            file = CountersDirectory.live(dir).get(0).file();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(file).exists(); // kill -9: nobody deleted it
        assertThat(CountersDirectory.live(dir)).isEmpty();
        assertThat(CountersDirectory.deleteStale(dir)).isEqualTo(1);
        assertThat(file).doesNotExist();
    }
}
