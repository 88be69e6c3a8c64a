package io.vela.engine;

/**
 * Live counters of a module outside the engine (an HTTP server, a transport) carried by {@link RuntimeStats}:
 * register with {@link VelaRuntime#registerStats(ComponentStats)}. Implementations read their own counters; they may
 * be called from any thread at any time, also while the component serves.
 */
public interface ComponentStats {
    /** @return the component's name, e.g. {@code http:8080} */
    String name();

    /** @return a readable table of the component's counters (may allocate) */
    String describe();

    /**
     * Gives the component's numeric counters to {@code sink}, for the counters file ({@code vela-stat}) and the
     * metrics binder. Called from Vela's counters thread, periodically; may allocate. The default gives none.
     *
     * @param sink takes a metric name (no spaces, e.g. {@code requests}) and its current value
     */
    default void counters(java.util.function.ObjLongConsumer<String> sink) {
    }
}
