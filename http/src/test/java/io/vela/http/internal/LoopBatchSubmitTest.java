package io.vela.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpVersion;
import io.vela.engine.OfferResult;
import io.vela.engine.RingExecutor;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The to-the-ring half of {@link LoopBatch}, on an embedded event loop with a scripted ring: a batch whose offer
 * throws, and a flood batch.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoopBatchSubmitTest {

    /**
     * An offer that throws in the middle of a batch (the executor's contract allows an {@code Error} out of
     * {@code tryExecute}: "unknown outcome") must not strand the loop's ring hop: the exchanges after it in the batch
     * are still offered, and the loop's next requests start a batch of their own. Before the fix the batch's count
     * stayed above zero, so no submit task was ever queued again and every unkeyed request of that loop hung.
     */
    @Test
    void anOfferThatThrowsLeavesTheRestOfTheBatchAndLaterBatchesOffered() {
        List<Runnable> offered = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            LoopBatch batch = new LoopBatch(channel.eventLoop(), ring(offered, 1));
            Exchange first = exchange();
            Exchange second = exchange();
            Exchange third = exchange();
            batch.submit(first);
            batch.submit(second);
            assertThat(catchThrowable(channel::runPendingTasks)).isInstanceOf(StackOverflowError.class);
            channel.runPendingTasks(); // whatever the failure left for the loop
            assertThat(offered).as("the rest of the failed batch").containsExactly(second);
            batch.submit(third); // the loop's next pass
            channel.runPendingTasks();
            assertThat(offered).as("a later batch").containsExactly(second, third);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /**
     * A flood read in one pass (many connections, each up to the codec's pipelining bound) grows the submit array;
     * once offered, the loop must not keep an array that size for the rest of its life.
     */
    @Test
    void aFloodBatchDoesNotLeaveItsArrayBehind() {
        List<Runnable> offered = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            LoopBatch batch = new LoopBatch(channel.eventLoop(), ring(offered, 0));
            int flood = 100_000;
            for (int i = 0; i < flood; i++) {
                batch.submit(exchange());
            }
            channel.runPendingTasks();
            assertThat(offered).hasSize(flood);
            assertThat(batch.capacity()).as("slots kept after the flood").isLessThanOrEqualTo(1024);
            batch.submit(exchange()); // and it still works
            channel.runPendingTasks();
            assertThat(offered).hasSize(flood + 1);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** A ring that throws {@code StackOverflowError} on its first {@code failing} offers and accepts the rest. */
    private static RingExecutor ring(List<Runnable> offered, int failing) {
        int[] calls = {0};
        return (RingExecutor) Proxy.newProxyInstance(LoopBatchSubmitTest.class.getClassLoader(),
                new Class<?>[] {RingExecutor.class}, (proxy, method, args) -> {
                    if (method.getName().equals("tryExecute")) {
                        if (calls[0]++ < failing) {
                            throw new StackOverflowError("offer failed in the submitting thread");
                        }
                        offered.add((Runnable) args[0]);
                        return OfferResult.ACCEPTED;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("equals") ? proxy == args[0]
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "ring";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Exchange exchange() {
        return new Exchange(null, null, HttpVersion.HTTP_1_1, null, true, false);
    }
}
