package io.vela.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Review: a handler that restores (sets) its thread's interrupt flag must not stop the pump. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MessagePumpInterruptTest {

    /** An in-memory source: what the pump polls. */
    static final class QueueSource implements MessageSource {
        final Queue<Object> queue = new ConcurrentLinkedQueue<>();

        @Override
        public int poll(MessageHandler handler, int limit) {
            int n = 0;
            Object m;
            while (n < limit && (m = queue.poll()) != null) {
                handler.onMessage(m);
                n++;
            }
            return n;
        }
    }

    @Test
    void aHandlerThatSetsItsInterruptFlagDoesNotStopThePump() throws Exception {
        QueueSource source = new QueueSource();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        MessageHandler handler = m -> {
            if ("interrupt".equals(m)) {
                Thread.currentThread().interrupt(); // e.g. caught InterruptedException and restored the flag
                first.countDown();
            } else if ("after".equals(m)) {
                second.countDown();
            }
        };
        try (MessagePump pump = MessagePump.start(source, handler, new BackoffIdleStrategy(), Thread::new, "pump")) {
            source.queue.add("interrupt");
            assertTrue(first.await(5, TimeUnit.SECONDS), "first message not handled");
            Thread.sleep(200); // the pump sees an empty source with its flag set
            source.queue.add("after");
            assertTrue(second.await(2, TimeUnit.SECONDS),
                    "the pump stopped delivering after a handler set its interrupt flag");
            assertTrue(pump.isRunning(), "the pump's thread ended");
        }
    }
}
