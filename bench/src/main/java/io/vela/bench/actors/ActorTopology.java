package io.vela.bench.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.WaitStrategy;
import java.util.Locale;

/**
 * The threads of one case, the same for both subjects: Vela's runtime gets {@code workers} ring workers with the
 * given wait strategy; Pekko's default dispatcher gets a fork-join executor with exactly {@code workers} threads
 * (its internal dispatcher one). Both take {@link #THROUGHPUT} messages per actor per turn.
 *
 * @param workers  dispatcher threads
 * @param velaWait Vela's worker wait strategy (spinning only where the case leaves a core for it)
 */
record ActorTopology(int workers, WaitStrategy velaWait) {
    /** Messages an actor handles per turn before it yields its thread: Vela's and Pekko's. */
    static final int THROUGHPUT = 64;
    /** Vela's mailbox slots (Pekko's default mailbox is unbounded; the senders keep both within this). */
    static final int MAILBOX = 8192;

    /** {@code tell-1to1}: a sender and one worker, both busy. */
    static final ActorTopology TELL = new ActorTopology(1, WaitStrategy.YIELDING);
    /** {@code fanin-2to1}: two senders and one worker on two cores: the worker must not spin. */
    static final ActorTopology FANIN = new ActorTopology(1, WaitStrategy.PHASED_BACKOFF);
    /** {@code pingpong}: two workers, two actors; the main thread sleeps on the result. */
    static final ActorTopology PINGPONG = new ActorTopology(2, WaitStrategy.YIELDING);
    /** {@code ask}: a caller that waits for each answer, and one worker. */
    static final ActorTopology ASK = new ActorTopology(1, WaitStrategy.YIELDING);

    /** @return Vela's runtime configuration for this topology */
    VelaConfig velaConfig() {
        return VelaConfig.builder()
                .set(Settings.EXECUTOR_WORKERS, workers)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, velaWait)
                .set(Settings.TIMER_IDLE_STRATEGY, WaitStrategy.BACKOFF)
                .set(Settings.WATCHDOG_STALL_MS, 0L)
                .set(Settings.THREAD_NAME_PREFIX, "bench")
                .build();
    }

    /** @return Pekko's configuration for this topology, over its reference configuration */
    Config pekkoConfig() {
        String conf = String.format(Locale.ROOT, """
                pekko {
                  loglevel = WARNING
                  stdout-loglevel = WARNING
                  log-dead-letters = off
                  log-dead-letters-during-shutdown = off
                  jvm-shutdown-hooks = off
                  coordinated-shutdown.run-by-jvm-shutdown-hook = off
                  actor {
                    default-dispatcher {
                      executor = "fork-join-executor"
                      throughput = %d
                      fork-join-executor {
                        parallelism-min = %d
                        parallelism-max = %d
                        parallelism-factor = 1.0
                      }
                    }
                    internal-dispatcher.fork-join-executor {
                      parallelism-min = 1
                      parallelism-max = 1
                    }
                  }
                }
                """, THROUGHPUT, workers, workers);
        return ConfigFactory.parseString(conf).withFallback(ConfigFactory.load());
    }
}
