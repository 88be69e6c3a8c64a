package io.vela.engine.channel.flow;

import io.vela.engine.OfferResult;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelArity;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No lost wake-up for {@link Channel#onReceivable}: whatever the interleaving of a receiver registering its hook
 * with sends (including a send counted before the registration's flag CAS and still landing), once every thread
 * is done, an element in the channel means the hook has run. Checked by Lincheck's model checker over every
 * interleaving of small custom scenarios; the check is the {@link Validate} method, run after each one.
 */
@Tag("lincheck")
public class ReadyHookLincheckTest {
    private final Channel<Integer> channel = Channel.<Integer>builder("lincheck-hook").capacity(2)
            .arity(ChannelArity.MANY_TO_ONE).build();
    private final AtomicInteger fired = new AtomicInteger();
    private final Runnable hook = fired::incrementAndGet;
    private volatile boolean armed;

    /** @param value element @return the channel's answer */
    @Operation
    public OfferResult trySend(int value) {
        return channel.trySend(value);
    }

    /** Registers the hook once, from the receiver. */
    @Operation(nonParallelGroup = "receiver")
    public void arm() {
        if (!armed) {
            armed = true;
            channel.onReceivable(hook);
        }
    }

    /** Runs after every interleaving: an armed receiver with an element waiting must have been woken. */
    @Validate
    public void noLostWakeUp() {
        if (armed && channel.stats().depth() > 0 && fired.get() == 0) {
            throw new IllegalStateException("lost wake-up: an element is in the channel and the hook never ran");
        }
        if (fired.get() > 1) {
            throw new IllegalStateException("a one-shot hook ran " + fired.get() + " times");
        }
    }

    /** The sequential view: sends as a bounded queue; arming changes nothing. */
    public static class Spec extends BoundedQueueSpec {
        /** Arming has no result. */
        public void arm() {
        }
    }

    @Test
    @Timeout(30)
    void aHookRegisteredWhileSendsLandIsNeverLost() throws Exception {
        check(List.of(List.of(actor("trySend", 1)), List.of(actor("arm"))));
        check(List.of(List.of(actor("trySend", 1)), List.of(actor("trySend", 2)), List.of(actor("arm"))));
    }

    private static void check(List<List<Actor>> threads) {
        new ModelCheckingOptions()
                .sequentialSpecification(Spec.class)
                .iterations(0)
                .invocationsPerIteration(2_000)
                .addCustomScenario(new ExecutionScenario(List.of(), threads, List.of(), null))
                .check(ReadyHookLincheckTest.class);
    }

    private static Actor actor(String operation, Object... args) throws NoSuchMethodException {
        Class<?>[] types = args.length == 0 ? new Class<?>[0] : new Class<?>[] {int.class};
        Method method = ReadyHookLincheckTest.class.getMethod(operation, types);
        return new Actor(method, Arrays.asList(args));
    }
}
