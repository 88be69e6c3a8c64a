package io.vela.transport.codec;

import io.vela.engine.MissingJvmFlagException;

/**
 * Checks, before Chronicle Wire is first touched, that the JVM flags it needs are present, so a missing flag fails
 * with a message naming it instead of an {@code IllegalAccessError} from deep inside Chronicle. Only the transport
 * needs these flags; a user of the engine alone never does.
 */
final class ChronicleFlags {
    /** The flags Chronicle Wire's marshalling needs on JDK 17+. */
    static final String[] FLAGS = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    };

    private ChronicleFlags() {
    }

    /** @throws MissingJvmFlagException naming the first missing flag and where to put it */
    static void require() {
        require(ChronicleFlags.class.getModule());
    }

    static void require(Module chronicle) {
        Module base = Object.class.getModule();
        String missing = null;
        if (!base.isExported("jdk.internal.ref", chronicle)) {
            missing = FLAGS[0];
        } else if (!base.isExported("sun.nio.ch", chronicle)) {
            missing = FLAGS[1];
        } else if (!base.isOpen("java.lang.reflect", chronicle)) {
            missing = FLAGS[2];
        }
        if (missing != null) {
            throw new MissingJvmFlagException("Vela's transport needs the JVM flag " + missing
                    + " (Chronicle Wire uses it). Chronicle Wire needs all of: " + String.join(" ", FLAGS)
                    + " (and on JDK 23+ also --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)."
                    + " Add them to the java command line or to Maven Surefire's <argLine>; see docs/transport.md,"
                    + " section 'JVM flags'.");
        }
    }
}
