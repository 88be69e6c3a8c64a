package io.vela.transport.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vela.engine.MissingJvmFlagException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A JVM without Chronicle's flags: building a codec fails at once, naming the missing flag. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChronicleFlagsTest {
    /** Run in the flagless child JVM: prints what building a codec did. */
    public static final class Main {
        public static void main(String[] args) {
            try {
                WireMessageCodec.builder().register(Tick.class, 1).build();
                System.out.println("BUILT");
            } catch (MissingJvmFlagException e) {
                System.out.println("MISSING " + e.getMessage());
            }
        }
    }

    @Test
    void aMissingFlagIsNamedWhenTheCodecIsBuilt() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("MISSING Vela's transport needs the JVM flag "
                + "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED"), out);
        assertTrue(out.contains("docs/transport.md"), out);
    }

    @Test
    void withTheFlagsTheCheckPasses() {
        ChronicleFlags.require(); // this JVM runs with the module's argLine
    }
}
