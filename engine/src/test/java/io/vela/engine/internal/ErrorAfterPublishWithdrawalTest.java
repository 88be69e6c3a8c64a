package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingRejectedException;
import io.vela.engine.Settings;
import io.vela.engine.TaskSubmitter;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An {@code Error} striking a publisher after its publish (in the wait strategy's wake-up) must not skip the
 * withdrawal check of ADR 0006: when the shutdown sweep gave up on the slot while the publisher was stopped between
 * its {@code closed} read and its publish, the call must be refused — not accepted with a task that never runs.
 *
 * <p>White-box: the wake-up of the ring under test is replaced by a hook that, at the moment of the publisher's
 * signal, makes the sweep see what it would have seen had the publisher been stopped just before its publish (the
 * slots unpublished), runs {@code shutdownNow} (which halts the worker and gives up on them after its wait), restores
 * the publish, and throws an {@code Error}.
 */
@Timeout(30)
class ErrorAfterPublishWithdrawalTest {
    private static final int BATCH = 4;

    private static VelaRuntime runtime() {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_LANE_SIZE, 16).set(Settings.EXECUTOR_OVERFLOW, OverflowPolicy.FAIL_FAST)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.SLEEPING).set(Settings.WATCHDOG_STALL_MS, 0L)
                .build());
    }

    /** Holds the executor's only worker in a task until a halt interrupts it. */
    private static void holdWorker(RingExecutorImpl ex) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        ex.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    }

    /** What a round saw: how many tasks the call accepted, which ran, which {@code shutdownNow} returned. */
    private static final class Outcome {
        final AtomicInteger ran = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger(-1);
        final List<Runnable> returned = new ArrayList<>();
        final AtomicReference<Throwable> thrown = new AtomicReference<>();

        Runnable task() {
            return ran::incrementAndGet;
        }

        /** Every accepted task ran once or was returned; nothing refused ran. */
        void check() {
            returned.forEach(Runnable::run);
            assertThat(accepted.get()).as("the call returned (thrown: %s)", thrown.get()).isNotNegative();
            assertThat(ran.get()).as("tasks run (by the worker, or from shutdownNow's list) against tasks accepted: an "
                    + "accepted task that never ran, or a refused one that ran").isEqualTo(accepted.get());
        }
    }

    @Test
    void aLaneBatchWhoseSlotsTheSweepGaveUpOnIsRefusedEvenWhenAnErrorStrikesAfterItsPublish() throws Exception {
        try (VelaRuntime rt = runtime()) {
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            Outcome out = new Outcome();
            onOwnLane(ex, out, s -> {
                Runnable[] tasks = new Runnable[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    tasks[i] = out.task();
                }
                return s.tryExecuteAll(tasks, 0, BATCH);
            });
            out.check();
        }
    }

    @Test
    void aLaneTaskWhoseSlotTheSweepGaveUpOnIsRefusedEvenWhenAnErrorStrikesAfterItsPublish() throws Exception {
        try (VelaRuntime rt = runtime()) {
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            Outcome out = new Outcome();
            onOwnLane(ex, out, s -> acceptedOrNot(() -> s.execute(out.task())));
            out.check();
        }
    }

    @Test
    void aSharedRingTaskWhoseSlotTheSweepGaveUpOnIsRefusedEvenWhenAnErrorStrikesAfterItsPublish() throws Exception {
        try (VelaRuntime rt = runtime()) {
            RingExecutorImpl ex = (RingExecutorImpl) rt.executor();
            holdWorker(ex);
            Outcome out = new Outcome();
            RingBuffer<TaskSlot> ring = sharedRing(ex);
            int[] available = field(sequencer(ring), "availableBuffer");
            hookWakeUp(ring, () -> {
                long seq = ring.getCursor();
                int i = (int) (seq & (ring.getBufferSize() - 1));
                int flag = available[i];
                available[i] = flag - 1; // not available for this lap: as if the publisher had stopped before it
                out.returned.addAll(ex.shutdownNow());
                available[i] = flag;
            });
            runAndRecord(out, () -> acceptedOrNot(() -> ex.execute(out.task())));
            out.check();
        }
    }

    /** @return 1 if {@code submission} returned normally, 0 if it was refused */
    private static int acceptedOrNot(Runnable submission) {
        try {
            submission.run();
            return 1;
        } catch (RingRejectedException e) {
            return 0;
        }
    }

    private interface Call {
        int run(TaskSubmitter s);
    }

    /** On a thread of its own (a lane's owner), makes a submitter, hooks its lane and makes {@code call}. */
    private static void onOwnLane(RingExecutorImpl ex, Outcome out, Call call) throws Exception {
        holdWorker(ex);
        Thread owner = new Thread(() -> {
            try (TaskSubmitter s = ex.newSubmitter()) {
                SubmitterLane lane = ex.lanes()[0];
                Sequence cursor = field(sequencer(lane.ring), "cursor");
                hookWakeUp(lane.ring, () -> {
                    long hi = cursor.get();
                    long lo = hi;
                    while (lo - 1 > lane.consumed.get() && lane.ring.get(lo - 1).stampAcquire() == lo - 1) {
                        lo--;
                    }
                    long[] stamps = new long[(int) (hi - lo + 1)];
                    for (long seq = lo; seq <= hi; seq++) {
                        stamps[(int) (seq - lo)] = lane.ring.get(seq).stampAcquire();
                        lane.ring.get(seq).stamp(Long.MIN_VALUE); // neither stamped nor published yet
                    }
                    cursor.set(lo - 1);
                    out.returned.addAll(ex.shutdownNow()); // the sweep waits for the slots, then gives up on them
                    for (long seq = lo; seq <= hi; seq++) {
                        lane.ring.get(seq).stamp(stamps[(int) (seq - lo)]);
                    }
                    cursor.set(hi);
                });
                runAndRecord(out, () -> call.run(s));
            } catch (Throwable t) {
                out.thrown.compareAndSet(null, t);
            }
        }, "lane-owner");
        owner.start();
        owner.join(20_000);
        assertThat(owner.isAlive()).isFalse();
    }

    private interface Count {
        int get();
    }

    private static void runAndRecord(Outcome out, Count call) {
        try {
            out.accepted.set(call.get());
        } catch (Throwable t) {
            out.thrown.set(t);
            out.accepted.set(0); // an Error out of the call: nothing accepted may run
        }
    }

    /**
     * Replaces {@code ring}'s wait strategy by one whose next wake-up (the publisher's, right after its publish)
     * runs {@code atPublish} and then throws an {@code Error}; later wake-ups delegate.
     */
    private static void hookWakeUp(RingBuffer<TaskSlot> ring, Runnable atPublish) {
        Object sequencer = sequencer(ring);
        com.lmax.disruptor.WaitStrategy real = field(sequencer, "waitStrategy");
        AtomicInteger armed = new AtomicInteger(1);
        com.lmax.disruptor.WaitStrategy hooked = new com.lmax.disruptor.WaitStrategy() {
            @Override
            public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence,
                    com.lmax.disruptor.SequenceBarrier barrier) throws com.lmax.disruptor.AlertException,
                    InterruptedException, com.lmax.disruptor.TimeoutException {
                return real.waitFor(sequence, cursor, dependentSequence, barrier);
            }

            @Override
            public void signalAllWhenBlocking() {
                if (armed.getAndSet(0) == 1) {
                    atPublish.run();
                    throw new StackOverflowError("injected after the publish, in its wake-up");
                }
                real.signalAllWhenBlocking();
            }
        };
        setField(sequencer, "waitStrategy", hooked);
    }

    private static RingBuffer<TaskSlot> sharedRing(RingExecutorImpl ex) {
        return field(ex, "ring");
    }

    private static Object sequencer(RingBuffer<?> ring) {
        return field(ring, "sequencer");
    }

    @SuppressWarnings("unchecked")
    private static <T> T field(Object o, String name) {
        try {
            Field f = find(o.getClass(), name);
            return (T) f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void setField(Object o, String name, Object value) {
        try {
            find(o.getClass(), name).set(o, value);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Field find(Class<?> c, String name) throws NoSuchFieldException {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                Field f = k.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(name);
    }
}
