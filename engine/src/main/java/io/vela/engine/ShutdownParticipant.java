package io.vela.engine;

import java.time.Duration;

/**
 * Something outside the engine that {@link VelaRuntime#close()} stops first, before the channels, actors, timers and
 * executor it may still be using: an HTTP server that stops accepting and finishes its in-flight requests, a
 * transport that drains its sessions. Register with {@link VelaRuntime#addShutdownParticipant(ShutdownParticipant)}.
 *
 * <p>{@link #shutdown(Duration)} is called once, from the thread calling {@code close()}; participants run in
 * reverse order of registration.
 */
public interface ShutdownParticipant {
    /**
     * Stops within {@code deadline}, cutting what is still running when it passes.
     *
     * @param deadline how long it may take; the engine's parts get the rest of the shutdown deadline
     * @return what was finished and what was cut
     */
    ShutdownReport shutdown(Duration deadline);

    /** Undoes a registration; idempotent, never throws. */
    interface Registration extends AutoCloseable {
        /** Removes the registration; a no-op once done or once the runtime has begun closing. */
        @Override
        void close();
    }
}
