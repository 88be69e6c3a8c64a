package io.vela.engine.channel;

import io.vela.engine.OfferResult;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One case of a {@link Select}: a channel, what to try on it without waiting, and how to announce a parked
 * selector to it. Used by the selecting thread only.
 */
abstract class SelectCase {
    final ArrayChannel<?> channel;
    final Selected fired;
    final Selected closed;
    int slot = WaiterSlots.NONE;
    private WaiterSlots side;

    SelectCase(int index, Channel<?> channel) {
        if (!(channel instanceof ArrayChannel<?> c)) {
            throw new IllegalArgumentException("select works on channels built by Channel.builder or a "
                    + "ChannelRegistry; got " + channel);
        }
        this.channel = c;
        this.fired = new Selected(index, channel, false);
        this.closed = new Selected(index, channel, true);
    }

    /**
     * Takes or offers without waiting; the handler or action runs later, in {@link #fire()}.
     *
     * @return the outcome if the case fired now, else null
     */
    abstract Selected attempt();

    /** Runs the handler or action of the case whose {@link #attempt()} just returned its {@code fired} outcome. */
    abstract void fire();

    /** @param waiters the side of the channel this case waits on (its receivers or its senders) */
    final void waitsOn(WaiterSlots waiters) {
        this.side = waiters;
    }

    /** Registers the thread on the channel's side this case waits for. */
    final void register(Thread t) {
        slot = side.register(t);
    }

    final void deregister() {
        side.deregister(slot);
        slot = WaiterSlots.NONE;
    }

    /**
     * @param longestPark the select's longest park (its wait strategy's, not the channel's)
     * @return 0 to look again at once, else how long this case lets the selector park
     */
    abstract long announce(long longestPark);

    /** Receive: take an element if there is one, or report the channel closed and drained. */
    static final class Receive<T> extends SelectCase {
        private final ArrayChannel<T> ch;
        private final Consumer<? super T> handler;
        private T taken;

        @SuppressWarnings("unchecked") // checked by the constructor of SelectCase
        Receive(int index, Channel<T> channel, Consumer<? super T> handler) {
            super(index, channel);
            this.ch = (ArrayChannel<T>) channel;
            this.handler = Objects.requireNonNull(handler, "handler");
            waitsOn(ch.receivers());
        }

        @Override
        Selected attempt() {
            T e = ch.pollOrElse(null);
            if (e != null) {
                taken = e;
                return fired;
            }
            return ch.isDrained() ? closed : null;
        }

        @Override
        void fire() {
            T e = taken;
            taken = null;
            handler.accept(e);
        }

        @Override
        long announce(long longestPark) {
            return ch.itemWaitNanos(longestPark);
        }
    }

    /** Send: offer the value if there is room, or report the channel closed. */
    static final class Send<T> extends SelectCase {
        private final ArrayChannel<T> ch;
        private final Supplier<? extends T> value;
        private final Runnable then;

        @SuppressWarnings("unchecked") // checked by the constructor of SelectCase
        Send(int index, Channel<T> channel, Supplier<? extends T> value, Runnable then) {
            super(index, channel);
            this.ch = (ArrayChannel<T>) channel;
            this.value = Objects.requireNonNull(value, "value");
            this.then = Objects.requireNonNull(then, "then");
            waitsOn(ch.senders());
        }

        @Override
        Selected attempt() {
            if (ch.looksFull()) {
                return null;
            }
            OfferResult r = ch.offer(Objects.requireNonNull(value.get(), "select send value"));
            if (r == OfferResult.ACCEPTED) {
                return fired;
            }
            if (r == OfferResult.CLOSED) {
                ch.countRefusal();
                return closed;
            }
            return null;
        }

        @Override
        void fire() {
            then.run();
        }

        @Override
        long announce(long longestPark) {
            return ch.markRoomWaiting() ? 0 : ch.roomParkNanos(longestPark);
        }
    }
}
