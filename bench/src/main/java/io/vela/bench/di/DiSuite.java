package io.vela.bench.di;

import java.util.ArrayList;
import java.util.List;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import io.vela.bench.cli.JmhSettings;
import io.vela.bench.cli.Suite;

/**
 * Suite {@code di}: the Vela container side by side with hand-written {@code new} ({@code handwired}), Guice 7
 * ({@code guice}) and Dagger 2 ({@code dagger}). Cases {@code singleton}, {@code transient-graph},
 * {@code provider-get} (a held provider of the singleton and of the transient graph), {@code scoped} and
 * {@code build-500} (builds per second). Quick mode: one fork, one second of warm-up (two for
 * {@code build-500}, where Guice needs longer) and two measured seconds per subject, about a minute in all.
 */
public final class DiSuite implements Suite {

    @Override
    public String name() {
        return "di";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        JmhSettings get = ctx.full() ? JmhSettings.full() : JmhSettings.quick().withWarmup(1, 1).withMeasurement(2, 1);
        JmhSettings build = ctx.full() ? JmhSettings.full().withWarmup(5, 2) : get.withWarmup(2, 1);
        List<BenchResult> rows = new ArrayList<>();
        rows.addAll(ctx.jmh().run(name(), SingletonGetBenchmark.class, "singleton", get));
        rows.addAll(ctx.jmh().run(name(), TransientGraphBenchmark.class, "transient-graph", get));
        rows.addAll(ctx.jmh().run(name(), ProviderGetBenchmark.class, "provider-get", get));
        rows.addAll(ctx.jmh().run(name(), ScopedGetBenchmark.class, "scoped", get));
        rows.addAll(ctx.jmh().run(name(), Build500Benchmark.class, "build-500", build));
        return rows;
    }
}
