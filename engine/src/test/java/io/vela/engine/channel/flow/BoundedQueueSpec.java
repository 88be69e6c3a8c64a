package io.vela.engine.channel.flow;

import io.vela.engine.OfferResult;
import java.util.ArrayDeque;

/**
 * Lincheck's sequential specification of a channel: a bounded FIFO queue of {@link ChannelLincheckSupport#CAPACITY}
 * elements with a closed flag. Operations and their results mirror {@link ChannelLincheckSupport}: a send after
 * close is {@code CLOSED}, a send to a full queue {@code FULL}; a poll of an empty queue gives {@code -1};
 * {@code isDrained} is "closed and empty". Single-threaded by design.
 */
public class BoundedQueueSpec {
    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private boolean closed;

    /** @param value element @return what the channel must answer */
    public OfferResult trySend(int value) {
        if (closed) {
            return OfferResult.CLOSED;
        }
        if (queue.size() == ChannelLincheckSupport.CAPACITY) {
            return OfferResult.FULL;
        }
        queue.add(value);
        return OfferResult.ACCEPTED;
    }

    /** @return the head, or -1 when empty */
    public int pollOrElse() {
        Integer head = queue.poll();
        return head == null ? ChannelLincheckSupport.EMPTY : head;
    }

    /** Closes: later sends are refused. */
    public void close() {
        closed = true;
    }

    /** @return closed and empty */
    public boolean isDrained() {
        return closed && queue.isEmpty();
    }

    /** A wrong specification, to show that the check can fail: a queue of one element, not two. */
    public static class HoldsOne extends BoundedQueueSpec {
        private boolean holding;

        @Override
        public OfferResult trySend(int value) {
            if (holding) {
                return OfferResult.FULL;
            }
            OfferResult r = super.trySend(value);
            holding = r == OfferResult.ACCEPTED;
            return r;
        }

        @Override
        public int pollOrElse() {
            holding = false;
            return super.pollOrElse();
        }
    }
}
