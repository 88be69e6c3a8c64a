package io.vela.bench.di;

import java.util.HashMap;
import java.util.Map;

import com.google.inject.Key;
import com.google.inject.OutOfScopeException;
import com.google.inject.Provider;
import com.google.inject.Scope;

/**
 * A simple custom Guice {@link Scope} (the pattern of Guice's "SimpleScope" wiki example): {@link #enter()} puts a
 * fresh map in a thread local, {@link #exit()} removes it. Chosen over a child injector per request, which is far
 * slower and not how Guice users scope requests.
 */
public final class GuiceRequestScope implements Scope {
    private final ThreadLocal<Map<Key<?>, Object>> values = new ThreadLocal<>();

    /** Starts a request on this thread. */
    public void enter() {
        values.set(new HashMap<>());
    }

    /** Ends the request on this thread. */
    public void exit() {
        values.remove();
    }

    @Override
    public <T> Provider<T> scope(Key<T> key, Provider<T> unscoped) {
        return () -> {
            Map<Key<?>, Object> map = values.get();
            if (map == null) {
                throw new OutOfScopeException("Cannot access " + key + " outside of a request");
            }
            @SuppressWarnings("unchecked")
            T current = (T) map.get(key);
            if (current == null) {
                current = unscoped.get();
                map.put(key, current);
            }
            return current;
        };
    }

    @Override
    public String toString() {
        return "GuiceRequestScope";
    }
}
