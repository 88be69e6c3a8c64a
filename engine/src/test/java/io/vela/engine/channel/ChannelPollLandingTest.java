package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OfferResult;
import io.vela.engine.WaitStrategy;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A poll that finds a slot claimed by a send but not yet written (Agrona's multi-producer queues) keeps looking
 * rather than answering empty at once (ADR 0007, section 8), and gives up after its patience rather than hanging
 * on a sender that never writes. The claimed slot is simulated by moving the queue's tail past an empty slot, as a
 * sender descheduled between its claim and its write leaves it.
 */
@Timeout(30)
class ChannelPollLandingTest {
    private static final long PATIENCE_MILLIS = 10;

    @Test
    void aPollBehindAClaimedSlotWaitsForItThenGivesUpAndNothingIsLost() throws Exception {
        ArrayChannel<Integer> ch = (ArrayChannel<Integer>) Channel.<Integer>builder("landing").capacity(4)
                .arity(ChannelArity.MANY_TO_ONE).waitStrategy(WaitStrategy.BLOCKING).build();
        ManyToOneConcurrentArrayQueue<Integer> queue = queueOf(ch);
        Field tail = field(queue, "tail");
        tail.setLong(queue, 1); // slot 0 claimed by a "descheduled" sender
        assertThat(ch.trySend(2)).isEqualTo(OfferResult.ACCEPTED); // slot 1: a finished send behind it

        long start = System.nanoTime();
        assertThat(ch.pollOrElse(-1)).as("nothing readable yet: gives up").isEqualTo(-1);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waitedMillis).as("it looked for the claimed slot's element before answering empty")
                .isGreaterThanOrEqualTo(PATIENCE_MILLIS - 1);

        Object[] buffer = (Object[]) field(queue, "buffer").get(queue);
        buffer[0] = 1; // the "descheduled" sender writes its element
        assertThat(ch.pollOrElse(-1)).isEqualTo(1);
        assertThat(ch.pollOrElse(-1)).isEqualTo(2);
        assertThat(ch.pollOrElse(-1)).isEqualTo(-1);
    }

    @Test
    void aPollOfAnEmptyChannelAnswersAtOnce() {
        Channel<Integer> ch = Channel.<Integer>builder("empty").capacity(4).arity(ChannelArity.MANY_TO_MANY).build();
        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            assertThat(ch.pollOrElse(-1)).isEqualTo(-1);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(PATIENCE_MILLIS * 100);
    }

    @SuppressWarnings("unchecked")
    private static ManyToOneConcurrentArrayQueue<Integer> queueOf(ArrayChannel<Integer> ch) throws Exception {
        return (ManyToOneConcurrentArrayQueue<Integer>) field(ch, "queue").get(ch);
    }

    private static Field field(Object owner, String name) throws NoSuchFieldException {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(name);
    }
}
