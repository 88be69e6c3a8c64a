package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starts a JVM without the Agrona flag and checks that building the runtime names the flag to add. */
class JvmFlagCheckTest {

    /** Child JVM entry point: tries to start a runtime, prints what happened. */
    public static final class Probe {
        /** @param args unused */
        public static void main(String[] args) {
            try (VelaRuntime rt = VelaRuntime.start(VelaConfig.defaults())) {
                System.out.println("started " + rt.config().get(Settings.EXECUTOR_WORKERS));
            } catch (MissingJvmFlagException e) {
                System.out.println("MISSING: " + e.getMessage());
                System.exit(3);
            }
        }
    }

    @Test
    void missingAgronaFlagIsNamedBeforeAnyLibraryFails() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(out).contains("MISSING: Vela needs the JVM flag --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
                .contains("Add-Exports: java.base/jdk.internal.misc")
                .doesNotContain("IllegalAccessError");
    }

    @Test
    void withTheFlagTheRuntimeStarts() {
        try (VelaRuntime rt = VelaRuntime.start(VelaConfig.defaults())) {
            assertThat(rt.executor().isShutdown()).isFalse();
        }
    }
}
