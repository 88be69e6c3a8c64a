package io.vela.engine.internal;

import io.vela.engine.MissingJvmFlagException;

/** Checks, before any library needs them, that the JVM flags Vela's libraries need are present. */
public final class JvmFlags {
    /** The flag Agrona 2.x needs on JDK 17+. */
    public static final String AGRONA_FLAG = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    private JvmFlags() {
    }

    /**
     * @throws MissingJvmFlagException naming the flag and where to put it, when {@code jdk.internal.misc} is not
     *                                 exported to Vela's module
     */
    public static void requireAgronaAccess() {
        Module base = Object.class.getModule();
        Module agrona = org.agrona.concurrent.AgentRunner.class.getModule();
        if (!base.isExported("jdk.internal.misc", agrona)) {
            throw new MissingJvmFlagException("Vela needs the JVM flag " + AGRONA_FLAG
                    + " (Agrona uses jdk.internal.misc). Add it to the java command line, to Maven Surefire's "
                    + "<argLine>, or, for java -jar, as the manifest entry 'Add-Exports: java.base/jdk.internal.misc'."
                    + " See the README, section 'JVM flags'.");
        }
    }
}
