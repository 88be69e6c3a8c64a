package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The README's embedding example, compiled and run; the README must show exactly these lines. */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns() throws Exception {
        AtomicLong ledger = new AtomicLong();
        AtomicInteger ticks = new AtomicInteger();
        String answer;
        // README-BEGIN
        VelaConfig config = VelaConfig.builder()
                .standardSources(new Properties())          // defaults < file < VELA_* env < vela.* system properties
                .set(Settings.EXECUTOR_WORKERS, 2)           // code wins
                .build();
        try (VelaRuntime vela = VelaRuntime.start(config)) {
            CompletableFuture<Integer> sum = vela.executor().submit(() -> 6 * 7);       // on a ring worker
            vela.executor().executeKeyed("account-17", () -> ledger.addAndGet(100));  // same key: in order
            ScheduledFuture<?> tick = vela.scheduler().scheduleAtFixedRate(ticks::incrementAndGet, 0, 1,
                    TimeUnit.MILLISECONDS);                                             // on the timer wheel
            String row = vela.blocking(() -> "row from a blocking call").join();      // never on a ring worker
            answer = sum.join() + " / " + row;
        // README-END
            while (ticks.get() < 3) {
                Thread.onSpinWait();
            }
            tick.cancel(false);
        }
        assertThat(answer).isEqualTo("42 / row from a blocking call");
        assertThat(ledger).hasValue(100);
        assertThat(ticks.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void readmeShowsTheSameLines() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path readme = Files.exists(root.resolve("README.md")) ? root.resolve("README.md")
                : root.getParent().resolve("README.md");
        Path self = root.resolve("src/test/java/io/vela/engine/ReadmeExampleTest.java");
        List<String> example = snippet(Files.readAllLines(self));
        assertThat(example).hasSizeGreaterThan(5);
        String text = Files.readString(readme);
        assertThat(text).contains(String.join("\n", example));
    }

    private static List<String> snippet(List<String> lines) {
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("// README-BEGIN")) {
                from = i + 1;
            } else if (lines.get(i).trim().equals("// README-END")) {
                to = i;
            }
        }
        int indent = lines.get(from).indexOf(lines.get(from).trim());
        return lines.subList(from, to).stream().map(l -> l.length() >= indent ? l.substring(indent) : l.trim())
                .toList();
    }
}
