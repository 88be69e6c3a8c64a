package io.vela.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Immutable, validated runtime configuration. Read a value with {@link #get(Setting)}; print the effective
 * configuration with {@link #describe()}.
 *
 * <p>Precedence, lowest to highest: defaults &lt; a {@link Properties} file &lt; environment variables
 * {@code VELA_*} &lt; system properties {@code vela.*} &lt; values set in code. {@link #load(Properties)} applies
 * the first four; a builder applies sources in the order its methods are called, the last one winning:
 *
 * <pre>{@code
 * VelaConfig config = VelaConfig.builder()
 *         .standardSources(fileProperties)          // defaults < file < env < system properties
 *         .set(Settings.EXECUTOR_WORKERS, 2)        // code wins
 *         .build();
 * }</pre>
 *
 * Validated once, in {@link Builder#build()}: every bad key is reported together, each line naming the key, the
 * value and the valid values; unknown {@code vela.*} keys are errors too (with the nearest known key).
 */
public final class VelaConfig {
    private static final Logger LOG = LoggerFactory.getLogger(VelaConfig.class);

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, String> sources;

    private VelaConfig(Map<Setting<?>, Object> values, Map<Setting<?>, String> sources) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return defaults overridden by environment variables and system properties */
    public static VelaConfig load() {
        return builder().standardSources(new Properties()).build();
    }

    /**
     * @param file properties, e.g. loaded from a file; keys with or without the {@code vela.} prefix
     * @return defaults &lt; file &lt; environment &lt; system properties
     */
    public static VelaConfig load(Properties file) {
        return builder().standardSources(file).build();
    }

    /** @return the defaults alone */
    public static VelaConfig defaults() {
        return builder().build();
    }

    /**
     * @param setting a key from {@link Settings}
     * @param <T>     its type
     * @return its effective value
     */
    public <T> T get(Setting<T> setting) {
        Object v = values.get(setting);
        return setting.type().cast(v == null ? setting.defaultValue() : v);
    }

    /**
     * @param setting a key
     * @return where its value came from: {@code default}, {@code code}, {@code properties},
     *         {@code env VELA_...}, {@code system property vela....}
     */
    public String source(Setting<?> setting) {
        return sources.getOrDefault(setting, "default");
    }

    /** @return one line per key: {@code vela.key = value (source)}, in documentation order */
    public String describe() {
        StringBuilder sb = new StringBuilder("Vela configuration:\n");
        for (Setting<?> s : Settings.known()) {
            sb.append(String.format(Locale.ROOT, "  %-32s = %-16s (%s)%n", s.propertyName(), formatted(s),
                    source(s)));
        }
        return sb.toString();
    }

    private <T> String formatted(Setting<T> s) {
        return s.format(get(s));
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Collects values from sources and code, then validates them all at once. */
    public static final class Builder {
        private final Map<Setting<?>, Object> values = new LinkedHashMap<>();
        private final Map<Setting<?>, String> sources = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets a value in code.
         *
         * @param setting a key from {@link Settings}
         * @param value   its value (validated in {@link #build()})
         * @param <T>     its type
         * @return this
         */
        public <T> Builder set(Setting<T> setting, T value) {
            if (value == null) {
                problems.add(setting.key() + " = null is invalid; valid: " + setting.validValues());
                return this;
            }
            values.put(setting, value);
            sources.put(setting, "code");
            return this;
        }

        /**
         * Sets a value from text, as a file would.
         *
         * @param key   a key with or without the {@code vela.} prefix, e.g. {@code executor.workers}
         * @param value its text
         * @return this
         */
        public Builder set(String key, String value) {
            apply(key, value, "code", true);
            return this;
        }

        /**
         * @param props properties whose {@code vela.*} keys (or bare keys) are applied; unknown {@code vela.*}
         *              keys are reported by {@link #build()}
         * @return this
         */
        public Builder properties(Properties props) {
            for (String name : props.stringPropertyNames()) {
                apply(name, props.getProperty(name), "properties", name.startsWith("vela."));
            }
            return this;
        }

        /**
         * @param env environment variables; {@code VELA_*} entries are applied (unknown ones are logged)
         * @return this
         */
        public Builder environment(Map<String, String> env) {
            for (Map.Entry<String, String> e : env.entrySet()) {
                if (!e.getKey().startsWith("VELA_")) {
                    continue;
                }
                Setting<?> s = Settings.known().stream().filter(x -> x.envName().equals(e.getKey())).findFirst()
                        .orElse(null);
                if (s == null) {
                    LOG.warn("Ignoring unknown environment variable {}; known: {}", e.getKey(),
                            Settings.known().stream().map(Setting::envName).toList());
                } else {
                    parseInto(s, e.getValue(), "env " + e.getKey());
                }
            }
            return this;
        }

        /**
         * @param props system properties; {@code vela.*} entries are applied, unknown ones are errors
         * @return this
         */
        public Builder systemProperties(Properties props) {
            for (String name : props.stringPropertyNames()) {
                if (name.startsWith("vela.")) {
                    apply(name, props.getProperty(name), "system property " + name, true);
                }
            }
            return this;
        }

        /**
         * Applies the standard sources in precedence order: {@code file}, then {@code System.getenv()}, then
         * {@code System.getProperties()}.
         *
         * @param file properties from a file (may be empty)
         * @return this
         */
        public Builder standardSources(Properties file) {
            return properties(file).environment(System.getenv()).systemProperties(System.getProperties());
        }

        private void apply(String name, String raw, String source, boolean strict) {
            String key = name.startsWith("vela.") ? name.substring(5) : name;
            Setting<?> s = Settings.known().stream().filter(x -> x.key().equals(key)).findFirst().orElse(null);
            if (s == null) {
                if (strict) {
                    problems.add("unknown key vela." + key + " (from " + source + "); did you mean "
                            + nearest(key).propertyName() + "?");
                }
                return;
            }
            parseInto(s, raw, source);
        }

        private void parseInto(Setting<?> s, String raw, String source) {
            try {
                values.put(s, s.parse(raw));
                sources.put(s, source);
            } catch (IllegalArgumentException e) {
                problems.add(s.key() + " = '" + raw + "' (from " + source + ") is invalid; valid: " + s.validValues());
                values.remove(s);
            }
        }

        private static Setting<?> nearest(String key) {
            return Settings.known().stream().min(Comparator.comparingInt(s -> distance(s.key(), key))).orElseThrow();
        }

        private static int distance(String a, String b) {
            int[] prev = new int[b.length() + 1];
            int[] cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }

        /**
         * @return the validated configuration
         * @throws VelaConfigException listing every invalid or unknown key, with its value and the valid values
         */
        public VelaConfig build() {
            List<String> all = new ArrayList<>(problems);
            for (Map.Entry<Setting<?>, Object> e : values.entrySet()) {
                String p = check(e.getKey(), e.getValue());
                if (!p.isEmpty()) {
                    all.add(p + " (from " + sources.get(e.getKey()) + ")");
                }
            }
            if (!all.isEmpty()) {
                throw new VelaConfigException(all);
            }
            return new VelaConfig(values, sources);
        }

        @SuppressWarnings("unchecked")
        private static <T> String check(Setting<T> s, Object v) {
            return s.check((T) s.castChecked(v));
        }
    }
}
