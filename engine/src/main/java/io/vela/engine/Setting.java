package io.vela.engine;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key: its name, type, default, parser and validity rule. The constants live in
 * {@link Settings}; values are read from a built {@link VelaConfig} with {@link VelaConfig#get(Setting)}.
 *
 * <p>A key {@code executor.workers} is read from the system property {@code vela.executor.workers}, the
 * environment variable {@code VELA_EXECUTOR_WORKERS}, or the {@link java.util.Properties} key
 * {@code vela.executor.workers} (or {@code executor.workers}).
 *
 * @param <T> the value type
 */
public final class Setting<T> {
    private final String key;
    private final Class<T> type;
    private final T defaultValue;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final Predicate<T> validity;
    private final String validValues;
    private final String description;

    Setting(String key, Class<T> type, T defaultValue, Function<String, T> parser, Function<T, String> formatter,
            Predicate<T> validity, String validValues, String description) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.parser = parser;
        this.formatter = formatter;
        this.validity = validity;
        this.validValues = validValues;
        this.description = description;
    }

    /** @return the key without prefix, e.g. {@code executor.workers} */
    public String key() {
        return key;
    }

    /** @return the system property / Properties name, e.g. {@code vela.executor.workers} */
    public String propertyName() {
        return "vela." + key;
    }

    /** @return the environment variable name, e.g. {@code VELA_EXECUTOR_WORKERS} */
    public String envName() {
        return "VELA_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** @return the value type */
    public Class<T> type() {
        return type;
    }

    /** @return the default value */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return the valid values or range, as shown in error messages */
    public String validValues() {
        return validValues;
    }

    /** @return what the key controls */
    public String description() {
        return description;
    }

    /**
     * @param value a candidate value
     * @return an error line naming the key, the value and the valid values, or empty if valid
     */
    String check(T value) {
        if (value == null || !validity.test(value)) {
            return key + " = " + (value == null ? "null" : format(value)) + " is invalid; valid: " + validValues;
        }
        return "";
    }

    /**
     * @param raw text from a property, environment variable or file
     * @return the parsed value (not yet validated)
     * @throws IllegalArgumentException when the text does not parse
     */
    T parse(String raw) {
        return parser.apply(raw.trim());
    }

    /**
     * @param value a value of this setting
     * @return its text form, as it would be written in a properties file
     */
    public String format(T value) {
        return formatter.apply(value);
    }

    Object castChecked(Object value) {
        return type.cast(Objects.requireNonNull(value, key));
    }

    @Override
    public String toString() {
        return key;
    }
}
