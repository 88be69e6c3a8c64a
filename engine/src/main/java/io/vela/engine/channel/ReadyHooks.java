package io.vela.engine.channel;

import io.vela.engine.internal.Logging;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-shot readiness hooks registered on one side of a channel ({@link Channel#onReceivable},
 * {@link Channel#onSendable}), in a fixed array of slots so that registering and firing allocate nothing. Each hook
 * runs at most once per registration: whoever clears its slot (a fire, or a cancel) owns it. Any thread may call
 * any method; {@link #fireAll()} runs the hooks on the calling thread (a sender, a receiver, or close).
 */
final class ReadyHooks {
    private static final Logger LOG = LoggerFactory.getLogger(ReadyHooks.class);

    private final AtomicReferenceArray<Runnable> slots = new AtomicReferenceArray<>(WaiterSlots.SLOTS);

    /**
     * @param hook the hook
     * @return its slot, or {@link WaiterSlots#NONE} when every slot is taken
     */
    int register(Runnable hook) {
        for (int i = 0; i < WaiterSlots.SLOTS; i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, hook)) {
                return i;
            }
        }
        return WaiterSlots.NONE;
    }

    /**
     * Takes a registration back.
     *
     * @param slot a slot from {@link #register}
     * @param hook the hook registered there
     * @return true if this call removed it (it has not run and will not run), false if it was fired already
     */
    boolean remove(int slot, Runnable hook) {
        return slots.compareAndSet(slot, hook, null);
    }

    /** @param hook a hook to remove from whichever slots hold it (a no-op when it already ran) */
    void cancel(Runnable hook) {
        for (int i = 0; i < WaiterSlots.SLOTS; i++) {
            if (slots.get(i) == hook) {
                slots.compareAndSet(i, hook, null);
            }
        }
    }

    /** @return how many hooks are registered now (tests) */
    int registered() {
        int n = 0;
        for (int i = 0; i < WaiterSlots.SLOTS; i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    /** Runs and clears every registered hook; a hook that throws is logged and does not stop the others. */
    void fireAll() {
        for (int i = 0; i < WaiterSlots.SLOTS; i++) {
            Runnable r = slots.get(i);
            if (r != null && slots.compareAndSet(i, r, null)) {
                run(r);
            }
        }
    }

    static void run(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            Logging.warnQuietly(LOG, "a channel readiness hook threw; ignored", e);
        }
    }
}
