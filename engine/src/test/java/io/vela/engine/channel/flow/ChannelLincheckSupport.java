package io.vela.engine.channel.flow;

import io.vela.engine.OfferResult;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelArity;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the per-arity Lincheck tests share: one channel of the smallest capacity (2, so that {@code FULL} is reached
 * in a few operations), the operations they check against {@link BoundedQueueSpec}, and the model checking test, sized to a few
 * seconds on a quiet machine. Subclasses declare the {@code @Operation}s with
 * the thread restrictions of their arity (Lincheck reads annotated methods of superclasses too).
 *
 * <p>What is checked strictly, for every arity: {@code trySend}, {@code pollOrElse}, {@code close} and {@code
 * isDrained} (ADR 0007, section 8: a poll that finds nothing while a counted send is landing waits for it, and a
 * repeated close or {@code isDrained} waits for the first close's count). The model checker sees the channel's own
 * atomics and Agrona's plain field accesses, but not Agrona's {@code Unsafe} calls (it never switches threads
 * between a slot claim and its write), so it checks the channel's protocol with those steps taken as atomic; only
 * stress runs on real threads test the queues too ({@link OneToOneChannelLincheckTest} and the many-sender ones,
 * slow pass; ChannelPollLandingTest for the claimed slot): with several senders they once found a poll seeing an
 * empty channel while a finished send's element waited behind a slot another send had claimed but not yet written,
 * which the poll now waits for. Lincheck makes a fresh instance (a fresh channel) per scenario; JUnit's instance
 * only starts the runs.
 */
@Tag("lincheck")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public abstract class ChannelLincheckSupport {
    static final int CAPACITY = 2;
    static final int EMPTY = -1;

    private final int threads;
    private final Channel<Integer> channel;

    protected ChannelLincheckSupport(int threads, ChannelArity arity) {
        this.threads = threads;
        this.channel = Channel.<Integer>builder("lincheck-" + arity).capacity(CAPACITY).arity(arity).build();
    }

    OfferResult send(int value) {
        return channel.trySend(value);
    }

    int poll() {
        return channel.pollOrElse(EMPTY);
    }

    /** Close, from any thread, for every arity (a repeated close returns once the first one's count is visible). */
    @Operation
    public void close() {
        channel.close();
    }

    /** @return closed and every accepted element received, from any thread */
    @Operation
    public boolean isDrained() {
        return channel.isDrained();
    }

    /** Explores interleavings of small scenarios (Lincheck's model checker: sequential consistency). */
    @Test
    @Timeout(30)
    void linearizableUnderModelChecking() {
        modelChecking(BoundedQueueSpec.class).check(getClass());
    }

    /**
     * Explores every interleaving of one given scenario (threads of actors) exhaustively enough for a race that
     * random scenarios may miss, and requires it to be linearizable.
     *
     * @param threads the parallel part: one list of actors per thread
     */
    void checkScenario(List<List<Actor>> threads) {
        ExecutionScenario scenario = new ExecutionScenario(List.of(), threads, List.of(), null);
        new ModelCheckingOptions()
                .sequentialSpecification(BoundedQueueSpec.class)
                .iterations(0)
                .invocationsPerIteration(3_000)
                .addCustomScenario(scenario)
                .check(getClass());
    }

    /**
     * @param operation a public operation of this test class
     * @param args      its int argument, if any
     * @return a Lincheck actor calling it
     */
    Actor actor(String operation, Object... args) throws NoSuchMethodException {
        Class<?>[] types = args.length == 0 ? new Class<?>[0] : new Class<?>[] {int.class};
        Method method = getClass().getMethod(operation, types);
        return new Actor(method, Arrays.asList(args));
    }

    /**
     * A repeated close returns (and {@code isDrained} answers) only once the first close has recorded its count:
     * before that fix, {@code isDrained()} read false on an empty channel after the second close had returned.
     */
    @Test
    @Timeout(30)
    void isDrainedAfterASecondClose() throws Exception {
        checkScenario(List.of(List.of(actor("close")), List.of(actor("close"), actor("isDrained"))));
    }

    /** @param specification the sequential specification @return the model checking run of this arity */
    ModelCheckingOptions modelChecking(Class<?> specification) {
        return new ModelCheckingOptions()
                .sequentialSpecification(specification)
                .iterations(30)
                .invocationsPerIteration(300)
                .threads(threads)
                .actorsPerThread(threads == 2 ? 3 : 2)
                .actorsBefore(2)
                .actorsAfter(2);
    }
}
