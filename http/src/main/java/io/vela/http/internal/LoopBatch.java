package io.vela.http.internal;

import io.netty.util.concurrent.EventExecutor;
import io.vela.engine.OfferResult;
import io.vela.engine.RingExecutor;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ring hop of one event loop, both ways, batched across that loop's connections (ADR 0014, decision 6).
 *
 * <ul>
 *   <li><b>To the ring</b> ({@link #submit}, event loop only): unkeyed exchanges read during one pass of the loop
 *       are kept here and offered to the ring by one task queued on the loop itself, which runs after the pass's
 *       I/O: the parked ring worker is woken once for them all, not once per request.</li>
 *   <li><b>Back</b> ({@link #completed}, any thread): a ring worker pushes each answered exchange onto an intrusive
 *       lock-free stack (the exchange is its own node: {@link Exchange#nextDone}); the push that finds the stack
 *       empty queues one drain task on the loop, which takes the whole stack, records every answer, then writes and
 *       flushes each connection once: one loop task (and at most one loop wake-up) per batch of answers, whatever
 *       the number of connections.</li>
 * </ul>
 *
 * Allocates nothing per request (the submit array grows to the largest batch seen; one grown past
 * {@value #KEPT} slots by a flood is dropped after its batch, so a flood does not pin its size for good).
 */
final class LoopBatch {
    private static final Logger LOG = LoggerFactory.getLogger(LoopBatch.class);
    private static final int INITIAL = 16;
    /** A submit array grown past this by a flood is dropped once its batch is offered (not kept for good). */
    private static final int KEPT = 1024;
    private final EventExecutor loop;
    private final RingExecutor ring;
    /** Answered exchanges, last pushed first; {@code null} when empty (then no drain is queued). */
    private final AtomicReference<Exchange> done = new AtomicReference<>();
    private final Runnable drainTask = this::drain;
    private final Runnable submitTask = this::submitAll;
    /** Exchanges waiting for {@link #submitTask}; event loop only. */
    private Exchange[] toSubmit = new Exchange[INITIAL];
    private int toSubmitCount;

    LoopBatch(EventExecutor loop, RingExecutor ring) {
        this.loop = loop;
        this.ring = ring;
    }

    /** Event loop: offers {@code ex} to the ring after this pass of the loop, with the others read in it. */
    void submit(Exchange ex) {
        if (toSubmitCount == toSubmit.length) {
            toSubmit = Arrays.copyOf(toSubmit, toSubmitCount * 2);
        }
        toSubmit[toSubmitCount++] = ex;
        if (toSubmitCount == 1) {
            queueSubmit();
        }
    }

    private void queueSubmit() {
        try {
            loop.execute(submitTask); // from the loop itself: no wake-up
        } catch (RejectedExecutionException stopped) { // the loop is shutting down: offer now
            submitAll();
        }
    }

    private void submitAll() {
        int i = 0;
        try {
            // re-reads the count and the array: an exchange submitted meanwhile (from a refusal's answer, should it
            // lead to a read) joins this batch instead of starting another
            for (; i < toSubmitCount; i++) {
                Exchange ex = toSubmit[i];
                toSubmit[i] = null;
                OfferResult r = ring.tryExecute(ex);
                if (!r.accepted()) {
                    try {
                        ex.connection.refused(ex, r);
                    } catch (RuntimeException e) { // one connection's failure must not strand the rest of the batch
                        LOG.warn("Answering 503 to {} failed; closing its connection", ex.request, e);
                        ex.connection.closeNow();
                    }
                }
            }
        } finally {
            keepRest(i);
        }
    }

    /**
     * After a batch: nothing is left when every exchange was offered; when the offer of exchange {@code failed}
     * threw (its outcome unknown, as the executor's contract says of an {@code Error}), the ones after it make the
     * next batch, so that neither they nor the loop's later requests are stranded behind a count never reset.
     */
    private void keepRest(int failed) {
        int rest = toSubmitCount - failed - 1;
        if (rest <= 0) {
            toSubmitCount = 0;
            if (toSubmit.length > KEPT) {
                toSubmit = new Exchange[INITIAL];
            }
            return;
        }
        System.arraycopy(toSubmit, failed + 1, toSubmit, 0, rest);
        Arrays.fill(toSubmit, rest, toSubmitCount, null);
        toSubmitCount = rest;
        queueSubmit();
    }

    /** @return the submit array's length (tests) */
    int capacity() {
        return toSubmit.length;
    }

    /** Any thread (a ring worker): hands the answered {@code ex} (its {@link Exchange#completed} set) to the loop. */
    void completed(Exchange ex) {
        Exchange head;
        do {
            head = done.get();
            ex.nextDone = head;
        } while (!done.compareAndSet(head, ex));
        if (head != null) {
            return; // a drain is queued and has not taken the stack yet: it will take this exchange
        }
        try {
            loop.execute(drainTask);
        } catch (RejectedExecutionException stopped) { // cut by a shutdown: no one will write these answers
            abandon();
        }
    }

    /** Event loop: records every answer pushed so far, then writes and flushes each connection once. */
    private void drain() {
        Exchange list = reverse(done.getAndSet(null)); // completion order
        for (Exchange ex = list; ex != null; ex = ex.nextDone) {
            ex.connection.recordCompleted(ex);
        }
        for (Exchange ex = list; ex != null; ) {
            Exchange next = ex.nextDone;
            ex.nextDone = null;
            try {
                ex.connection.writeCompleted();
            } catch (RuntimeException e) {
                LOG.warn("Writing the answers on the connection of {} failed; closing it", ex.request, e);
                ex.connection.closeNow();
            }
            ex = next;
        }
    }

    /** The loop refused the drain task (shutdown): count every stranded answer as finished, none is written. */
    private void abandon() {
        for (Exchange ex = done.getAndSet(null); ex != null; ex = ex.nextDone) {
            ex.connection.abandoned(ex);
        }
    }

    private static Exchange reverse(Exchange head) {
        Exchange prev = null;
        while (head != null) {
            Exchange next = head.nextDone;
            head.nextDone = prev;
            prev = head;
            head = next;
        }
        return prev;
    }
}
