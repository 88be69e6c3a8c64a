package io.vela.engine.channel.flow;

import io.vela.engine.OfferResult;
import io.vela.engine.channel.ChannelArity;
import java.util.List;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lincheck operations of the many-producer arities: {@code trySend} from any thread. */
public abstract class AnySenderLincheckSupport extends ChannelLincheckSupport {
    /**
     * @param threads threads in Lincheck's parallel part
     * @param arity   a many-producer arity
     */
    protected AnySenderLincheckSupport(int threads, ChannelArity arity) {
        super(threads, arity);
    }

    /**
     * With several senders, a send counted before {@code close()} may still be writing its element when another
     * thread's send is refused {@code CLOSED}: a {@code pollOrElse} after that refusal waits for the element (before
     * the fix it answered empty, and the element appeared a moment later).
     */
    @Test
    @Timeout(30)
    void pollAfterARefusalSeesASendStillLanding() throws Exception {
        checkScenario(List.of(
                List.of(actor("trySend", 1), actor("pollOrElse")),
                List.of(actor("trySend", 2)),
                List.of(actor("close"))));
    }

    /**
     * Runs scenarios on real threads: the inside of Agrona's multi-producer queue too (a slot claimed but not yet
     * written, which a poll must wait for rather than answer empty). Slow on a loaded 2-core machine.
     */
    @Test
    @Tag("slow")
    @Timeout(60)
    void linearizableUnderStress() {
        new StressOptions()
                .sequentialSpecification(BoundedQueueSpec.class)
                .iterations(10)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(2)
                .check(getClass());
    }

    /** @param value element @return the channel's answer */
    @Operation
    public OfferResult trySend(@Param(name = "value") int value) {
        return send(value);
    }
}
