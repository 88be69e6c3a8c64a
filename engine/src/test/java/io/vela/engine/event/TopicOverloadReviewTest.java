package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of issue #12: the whole-array batch overloads ({@code Topic.publish(translator, A[])},
 * {@code EventBus.publish(topic, translator, A[])}) beside the single-event {@code publish(translator, A)} made
 * every call whose argument is an array ambiguous for a translator whose argument type an array fits
 * ({@code Object}) or that is an implicitly typed lambda: code that compiled before (one event whose argument is an
 * array) no longer compiled, and a batch could not be written with a plain lambda. Compiles such user code against
 * the engine's classes.
 */
class TopicOverloadReviewTest {
    private static final String USER_CODE = """
            package user;

            import io.vela.engine.event.EventBus;
            import io.vela.engine.event.EventTranslatorOneArg;
            import io.vela.engine.event.Topic;

            class UsesTopics {
                static final class Holder {
                    Object value;
                }

                static void publish(Topic<Holder> topic, EventBus bus, String[] names, Long[] ids) {
                    EventTranslatorOneArg<Holder, Object> any = (h, v) -> h.value = v;
                    topic.publish(any, names);                  // one event: its argument is an array
                    bus.publish(topic, any, names);             // the same through the bus
                    topic.publish((h, v) -> h.value = v, 42L);  // one event, implicitly typed lambda
                    topic.publishAll((h, v) -> h.value = v, ids);      // a batch, implicitly typed lambda
                    bus.publishAll(topic, (h, v) -> h.value = v, ids); // the same through the bus
                    topic.publish((h, v) -> h.value = v, ids, 0, ids.length);
                }
            }
            """;

    @Test
    @Timeout(30)
    void singleEventAndWholeArrayBatchPublishesAreNotAmbiguous(@TempDir Path dir) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("tests run on a JDK").isNotNull();
        Path src = dir.resolve("user/UsesTopics.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, USER_CODE);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, err, err, "-d", dir.resolve("out").toString(), "-classpath", classpath(),
                "-Xlint:none", src.toString());
        assertThat(rc).as("user code compiles against the engine: %s", err.toString(StandardCharsets.UTF_8))
                .isZero();
    }

    /** @return where the engine's classes and the Disruptor's are (surefire's own class path may be a jar) */
    private static String classpath() throws URISyntaxException, IOException {
        StringBuilder cp = new StringBuilder();
        for (Class<?> c : List.of(Topic.class, com.lmax.disruptor.RingBuffer.class,
                org.agrona.concurrent.IdleStrategy.class)) {
            if (cp.length() > 0) {
                cp.append(File.pathSeparatorChar);
            }
            cp.append(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return cp.toString();
    }
}
