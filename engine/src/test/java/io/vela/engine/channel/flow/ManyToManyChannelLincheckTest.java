package io.vela.engine.channel.flow;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.channel.ChannelArity;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Linearizability of a many-to-many channel: every operation from any thread (3 threads); {@code close} and {@code isDrained} too. */
public class ManyToManyChannelLincheckTest extends AnySenderLincheckSupport {
    /** Lincheck makes one instance per scenario. */
    public ManyToManyChannelLincheckTest() {
        super(3, ChannelArity.MANY_TO_MANY);
    }

    /** @return head or -1, from any thread */
    @Operation
    public int pollOrElse() {
        return poll();
    }

    /**
     * The check can fail: against a specification that drops every element after the first, the same model checking
     * finds a non-linearizable history.
     */
    @Test
    @Timeout(30)
    void modelCheckingRejectsAWrongSpecification() {
        ModelCheckingOptions wrong = modelChecking(BoundedQueueSpec.HoldsOne.class).iterations(100);
        assertThatThrownBy(() -> wrong.check(getClass())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Invalid execution results");
    }
}
