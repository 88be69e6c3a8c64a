import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code Build500.java} (500 small classes with {@code @Inject} constructors, a tree of about a thousand
 * edges, plus a hand-written registry of the same graph) and {@code Build500Component.java} (the Dagger component
 * that exposes all 500) into package {@code io.vela.bench.di.gen} under the directory given. The bench module's
 * build runs it in {@code generate-sources} with the JDK's source launcher
 * ({@code java bench/src/build/java/Build500Generator.java bench/target/generated-sources/build500}), so the
 * generated files live only in {@code target/} and are compiled, with Dagger's processor, in the same pass as the
 * hand-written sources. It is not itself on any class path.
 */
public final class Build500Generator {
    /** Number of generated classes. */
    public static final int N = 500;
    private static final int CHUNK = 25;

    private Build500Generator() {
    }

    /**
     * @param args the output directory
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".").resolve("io/vela/bench/di/gen");
        Files.createDirectories(dir);
        StringBuilder s = new StringBuilder();
        s.append("package io.vela.bench.di.gen;\n\n")
                .append("import jakarta.inject.Inject;\n")
                .append("import java.util.HashMap;\n")
                .append("import java.util.List;\n")
                .append("import java.util.Map;\n")
                .append("import java.util.function.Supplier;\n\n")
                .append("/** Generated at build time by bench/src/build/java/Build500Generator.java; do not edit. 500 classes, G(i) needs G((i-1)/2)")
                .append(" and, from 3 on, G(i/3). */\n")
                .append("@SuppressWarnings(\"unused\")\n")
                .append("public final class Build500 {\n")
                .append("    private Build500() {\n    }\n\n");
        for (int i = 0; i < N; i++) {
            s.append("    /** Generated node ").append(i).append(". */\n");
            s.append("    public static final class G").append(i).append(" {\n");
            s.append("        /** Injected. */\n");
            s.append("        @Inject\n        public G").append(i).append('(').append(params(i)).append(") {\n");
            s.append("        }\n    }\n\n");
        }
        s.append("    /** Every generated class, in order. */\n");
        s.append("    public static final List<Class<?>> CLASSES = List.of(\n");
        for (int i = 0; i < N; i++) {
            s.append("            G").append(i).append(".class").append(i < N - 1 ? ",\n" : ");\n\n");
        }
        s.append("    /**\n     * The hand-written equivalent of building a container: a registry of 500 factories.\n")
                .append("     *\n     * @return class to factory\n     */\n")
                .append("    public static Map<Class<?>, Supplier<?>> handwired() {\n")
                .append("        Map<Class<?>, Supplier<?>> m = new HashMap<>(1024);\n");
        for (int chunk = 0; chunk < N; chunk += CHUNK) {
            s.append("        fill").append(chunk / CHUNK).append("(m);\n");
        }
        s.append("        return m;\n    }\n");
        // small methods, so that the JIT compiles them (huge methods stay interpreted)
        for (int chunk = 0; chunk < N; chunk += CHUNK) {
            s.append("\n    private static void fill").append(chunk / CHUNK)
                    .append("(Map<Class<?>, Supplier<?>> m) {\n");
            for (int i = chunk; i < Math.min(N, chunk + CHUNK); i++) {
                s.append("        m.put(G").append(i).append(".class, () -> new G").append(i).append('(')
                        .append(args(i)).append("));\n");
            }
            s.append("    }\n");
        }
        s.append("}\n");
        Files.writeString(dir.resolve("Build500.java"), s.toString());

        StringBuilder c = new StringBuilder();
        c.append("package io.vela.bench.di.gen;\n\n")
                .append("import dagger.Component;\n\n")
                .append("/** Generated at build time by bench/src/build/java/Build500Generator.java; do not edit. Dagger's 500-binding component. */\n")
                .append("@Component\n")
                .append("public interface Build500Component {\n");
        for (int i = 0; i < N; i++) {
            c.append("    /** @return node ").append(i).append(" */\n");
            c.append("    Build500.G").append(i).append(" g").append(i).append("();\n");
        }
        c.append("}\n");
        Files.writeString(dir.resolve("Build500Component.java"), c.toString());
    }

    private static String params(int i) {
        if (i == 0) {
            return "";
        }
        String p = "G" + ((i - 1) / 2) + " a";
        return i >= 3 ? p + ", G" + (i / 3) + " b" : p;
    }

    private static String args(int i) {
        if (i == 0) {
            return "";
        }
        String a = "(G" + ((i - 1) / 2) + ") m.get(G" + ((i - 1) / 2) + ".class).get()";
        return i >= 3 ? a + ", (G" + (i / 3) + ") m.get(G" + (i / 3) + ".class).get()" : a;
    }
}
