package io.vela.engine.actor;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Runtimes for the actor tests, and a collector for failures on actor threads so they reach JUnit. */
final class ActorFixture {
    private ActorFixture() {
    }

    static VelaRuntime runtime(int workers) {
        return runtime(workers, 1024);
    }

    static VelaRuntime runtime(int workers, int ringSize) {
        return VelaRuntime.start(VelaConfig.builder()
                .set(Settings.EXECUTOR_WORKERS, workers)
                .set(Settings.EXECUTOR_RING_SIZE, ringSize)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.SLEEPING)
                .set(Settings.SHUTDOWN_DEADLINE_MS, 5_000L)
                .build());
    }

    /** Failures seen on actor threads; {@link #assertNone()} rethrows the first on the test thread. */
    static final class Failures {
        private final Queue<Throwable> seen = new ConcurrentLinkedQueue<>();

        void add(Throwable t) {
            seen.add(t);
        }

        void check(boolean ok, String what) {
            if (!ok) {
                seen.add(new AssertionError(what));
            }
        }

        void assertNone() {
            Throwable t = seen.peek();
            if (t != null) {
                throw new AssertionError("failure on an actor thread (" + seen.size() + " in all)", t);
            }
        }
    }
}
