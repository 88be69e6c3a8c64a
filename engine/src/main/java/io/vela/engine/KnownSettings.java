package io.vela.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/** The engine's keys and those of every {@link SettingsProvider} on the class path, loaded once. */
final class KnownSettings {
    static final List<Setting<?>> LIST = load();

    private KnownSettings() {
    }

    private static List<Setting<?>> load() {
        List<Setting<?>> all = new ArrayList<>(Settings.all());
        Set<String> keys = new HashSet<>();
        all.forEach(s -> keys.add(s.key()));
        for (SettingsProvider p : ServiceLoader.load(SettingsProvider.class, KnownSettings.class.getClassLoader())) {
            for (Setting<?> s : p.settings()) {
                if (!keys.add(s.key())) {
                    throw new VelaConfigException(List.of(s.key() + " is declared twice (again by "
                            + p.getClass().getName() + "); valid: one declaration per key"));
                }
                all.add(s);
            }
        }
        return List.copyOf(all);
    }
}
