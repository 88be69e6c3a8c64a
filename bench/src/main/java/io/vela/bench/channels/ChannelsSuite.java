package io.vela.bench.channels;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.JmhSettings;
import io.vela.bench.cli.Suite;
import java.util.ArrayList;
import java.util.List;

/**
 * Suite {@code channels}: Vela's bounded channels ({@code vela}) beside the raw Agrona queue they wrap for the arity
 * ({@code agrona}), JCTools' array queues ({@code jctools}) and {@code ArrayBlockingQueue} ({@code jdk-abq}), all
 * with {@value ChannelState#CAPACITY} slots, in JMH: throughput ({@code ops_per_sec}, tokens sent per second, at
 * most one channel's capacity ahead of those received) and allocation per token ({@code alloc_bytes_per_op},
 * {@code gc.alloc.rate.norm} over every thread, the receiver's included).
 *
 * <p>Cases ({@link ChannelCase}): {@code spsc} (1 sender, 1 receiver, non-blocking; both spin then yield: two threads
 * on two cores), {@code mpsc-2p} (2 senders, 1 receiver, non-blocking: three threads on two cores, so every waiting
 * thread backs off to parking and none spins on a core another needs), {@code spsc-parked} (blocking send/receive
 * that parks). All in {@link ChannelBenchmark}.
 *
 * <p>Every trial accounts for every token (received once per send, else the trial fails). Quick mode: 12 forks of
 * about 4 s, under a minute.
 */
public final class ChannelsSuite implements Suite {

    @Override
    public String name() {
        return "channels";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        JmhSettings settings = ctx.compactSettings();
        List<BenchResult> rows = new ArrayList<>();
        for (ChannelCase c : ChannelCase.values()) {
            rows.addAll(ctx.jmh().run(name(), ChannelBenchmark.class, "", settings.withThreads(c.senders()),
                    new String[] {"channelCase", c.caseName()}));
        }
        return rows;
    }
}
