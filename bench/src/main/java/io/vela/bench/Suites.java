package io.vela.bench;

import io.vela.bench.cli.Suite;
import java.util.List;

/** The suites the {@code vela-bench} CLI knows, in the order it runs them. */
final class Suites {
    private Suites() {
    }

    static List<Suite> all() {
        return List.of(
                new io.vela.bench.floor.FloorSuite(),
                new io.vela.bench.executor.ExecutorSuite(),
                new io.vela.bench.events.EventsSuite(),
                new io.vela.bench.channels.ChannelsSuite(),
                new io.vela.bench.actors.ActorsSuite(),
                new io.vela.bench.http.HttpSuite(),
                new io.vela.bench.di.DiSuite(),
                new io.vela.bench.transport.TransportSuite()
        );
    }
}
