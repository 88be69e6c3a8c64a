package io.vela.bench.executor;

import io.vela.bench.cli.BenchContext;
import io.vela.bench.cli.BenchResult;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The executor suite's cases with two submitters or two workers ({@link ManyThreadExecutorThroughputBenchmark}):
 * {@code 2p1w}, {@code 1p2w}, {@code 2p2w}. Each case is one JMH run in which every subject is measured.
 *
 * <p>Three threads that can be busy on a machine with fewer cores than that: the cases run with parking strategies
 * only ({@code lite-blocking}; {@code --full} adds {@code sleeping}), and the OS scheduler is part of what they
 * measure. The JDK peers ignore the wait strategy, so they are measured once per case and their rows are repeated
 * under each strategy's case name, so that the table's {@code vs vela} column compares figures from the same run.
 * Quick mode runs {@code 2p1w} and {@code 1p2w} with the compact settings (one 1-s warm-up, two 1-s measured
 * iterations): 10 forks of about 5 s.
 */
final class ManyThreadCases {
    /** One case: its name, the submitter (JMH thread) count and the worker count. */
    record Case(String name, int submitters, int workers) {
    }

    /** The cases of {@code --full}; quick mode runs the first two (the time budget: about 50 s). */
    static final List<Case> CASES = List.of(new Case("2p1w", 2, 1), new Case("1p2w", 1, 2), new Case("2p2w", 2, 2));

    private ManyThreadCases() {
    }

    /**
     * @param suite the suite name for the rows
     * @param ctx   the run's context
     * @return the rows of every case, case names {@code <case>-<wait strategy>}
     * @throws RunnerException when JMH fails
     */
    static List<BenchResult> run(String suite, BenchContext ctx) throws RunnerException {
        String[] strategies = strategies(ctx.full());
        String[] strategyParam = new String[strategies.length + 1];
        strategyParam[0] = "waitStrategy";
        System.arraycopy(strategies, 0, strategyParam, 1, strategies.length);
        List<BenchResult> rows = new ArrayList<>();
        for (Case c : cases(ctx.full())) {
            List<BenchResult> raw = ctx.jmh().run(suite, ManyThreadExecutorThroughputBenchmark.class, c.name(),
                    ctx.compactSettings().withThreads(c.submitters()),
                    new String[] {"workers", Integer.toString(c.workers())}, strategyParam);
            rows.addAll(rename(raw, c, strategies));
        }
        return rows;
    }

    /** @return the cases to run: every case with {@code --full}, {@code 2p1w} and {@code 1p2w} in quick mode */
    static List<Case> cases(boolean full) {
        return full ? CASES : CASES.subList(0, 2);
    }

    /** @return the wait strategies the cases run with */
    static String[] strategies(boolean full) {
        return full ? new String[] {"lite-blocking", "sleeping"} : new String[] {"lite-blocking"};
    }

    /**
     * Names each row {@code <case>-<strategy>}: JMH names it after the case and every parameter value (the worker
     * count is already in the case name); a row without a strategy (a JDK peer) is repeated under each strategy.
     *
     * @param rows       the JMH rows of one case
     * @param c          the case
     * @param strategies the strategies it ran with
     * @return the renamed rows
     */
    static List<BenchResult> rename(List<BenchResult> rows, Case c, String[] strategies) {
        String w = Integer.toString(c.workers());
        List<BenchResult> out = new ArrayList<>();
        for (BenchResult r : rows) {
            boolean matched = false;
            for (String ws : strategies) {
                if (r.caseName().equals(c.name() + "-" + ws + "-" + w)
                        || r.caseName().equals(c.name() + "-" + w + "-" + ws)) {
                    out.add(new BenchResult(r.suite(), c.name() + "-" + ws, r.subject(), r.metric(), r.value()));
                    matched = true;
                }
            }
            if (!matched && r.caseName().equals(c.name() + "-" + w)) {
                for (String ws : strategies) {
                    out.add(new BenchResult(r.suite(), c.name() + "-" + ws, r.subject(), r.metric(), r.value()));
                }
                matched = true;
            }
            if (!matched) {
                out.add(r);
            }
        }
        return out;
    }
}
