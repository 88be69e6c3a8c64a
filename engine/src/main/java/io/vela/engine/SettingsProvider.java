package io.vela.engine;

import java.util.List;

/**
 * Declares the configuration keys of a module outside the engine (for example {@code http.*}), so that
 * {@link VelaConfig} validates them with the same messages as its own: key, bad value, valid values, and the nearest
 * known key for an unknown one. Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.vela.engine.SettingsProvider}. Build the settings with the public factories of
 * {@link Settings} ({@link Settings#integer}, {@link Settings#longRange}, {@link Settings#text},
 * {@link Settings#choice}, {@link Settings#bool}).
 *
 * <p>Called once per JVM, when the first configuration is built; {@link #settings()} must return the same
 * {@link Setting} instances the module reads with {@link VelaConfig#get(Setting)}.
 */
public interface SettingsProvider {
    /** @return this module's keys, in documentation order; no key may repeat one known already */
    List<Setting<?>> settings();
}
