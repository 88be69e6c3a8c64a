package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.WaitStrategy;
import io.vela.engine.counters.VelaCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Review of the stand-in hand-over (ADR 0019), white-box: an executor that is never started (no worker thread),
 * three tasks keyed to worker 1 published on its ring, and the worker's steps ({@code runBatch}'s, one at a time)
 * and the timer's request and grant made in between on the test thread.
 *
 * <p>A worker announces a slot, then reads the stand-in state before running it. If it is preempted between the
 * two for longer than the threshold (and a millisecond), the sampler reads that slot as its position, unmoved, and
 * grants from it: the stand-in covers the worker's part after that slot. The worker, reading {@code GRANTED}, must
 * then run the slot it announced — nobody else will — and give up only the slots after it.
 */
@Timeout(10)
class StandInHandOverReviewTest {
    @Test
    void aWorkerPreemptedBetweenItsAnnouncementAndItsCheckRunsTheSlotTheGrantReadAsItsPosition() {
        try (VelaCounters counters = VelaCounters.inProcess(64)) {
            RingExecutorImpl ex = new RingExecutorImpl("review", 2, 64, WaitStrategy.LITE_BLOCKING,
                    OverflowPolicy.FAIL_FAST, Duration.ofSeconds(1), (ring, task, error) -> { }, counters);
            ExecutorWorker w = ex.workers()[1];
            List<Long> keys = new ArrayList<>(); // keys of worker 1, found by where their slots go
            for (long k = 0; keys.size() < 3; k++) {
                long seq = ex.cursor() + 1;
                ex.executeKeyed(k, () -> { });
                if (ex.ring().get(seq).owner == 1) {
                    keys.add(seq);
                }
            }
            long first = keys.get(0);
            // the worker: claims its chunk, announces its first slot of it ... and is preempted
            assertThat(w.own.claimRange(0, ex.cursor())).isTrue();
            long previous = w.position.announce(first);
            // the timer: unmoved for the threshold, a request; a sample (at least 1 ms) later, still unmoved: a grant
            assertThat(w.standIn.request()).isTrue();
            assertThat(w.standIn.grant(w.position(), ex.ring())).as("granted from the position read").isTrue();
            assertThat(w.standIn.backlogSnapshot()).extracting(StandIn.Moved::seq)
                    .as("the stand-in took the worker's slots after its position").containsExactly(keys.get(1),
                            keys.get(2));
            // the worker resumes: its check after the announcement
            assertThat(w.standIn.stops(first, previous)).as("slot %d is the worker's own: the stand-in covers only "
                    + "the slots after the position it was granted on, so giving it up loses it", first)
                    .isNotEqualTo(StandIn.GIVE_UP);
            assertThat(w.position()).as("still announced (the sweep counts it as started)").isEqualTo(first);
            long before = w.position.announce(keys.get(1));
            assertThat(w.standIn.stops(keys.get(1), before)).as("the next of its slots is the stand-in's: given up")
                    .isEqualTo(StandIn.GIVE_UP);
            assertThat(w.position()).as("withdrawn").isEqualTo(first);
        }
    }

    /**
     * The same preemption, then a {@code shutdownNow}: the worker resumes after the halt and before the sweep froze
     * its position, so it may withdraw its announcement; the sweep skips the worker's keyed slots up to the cover (in
     * the backlog, or run from it) — which includes the slot the grant left to the worker. That slot must be run by
     * the worker or returned by the sweep, exactly once; so must the slot the stand-in took.
     */
    @Test
    void aHaltAfterAGrantOnTheAnnouncedSlotLeavesItRunOrReturnedOnce() {
        try (VelaCounters counters = VelaCounters.inProcess(64)) {
            RingExecutorImpl ex = new RingExecutorImpl("review", 2, 64, WaitStrategy.LITE_BLOCKING,
                    OverflowPolicy.FAIL_FAST, Duration.ofSeconds(1), (ring, task, error) -> { }, counters);
            ExecutorWorker w = ex.workers()[1];
            AtomicIntegerArray runs = new AtomicIntegerArray(64); // by slot
            List<Long> slots = new ArrayList<>();
            for (long k = 0; slots.size() < 2; k++) {
                long seq = ex.cursor() + 1;
                ex.executeKeyed(k, () -> runs.incrementAndGet((int) seq));
                if (ex.ring().get(seq).owner == 1) {
                    slots.add(seq);
                } // else worker 0's (never started: the sweep returns it)
            }
            long first = slots.get(0);
            assertThat(w.own.claimRange(0, ex.cursor())).isTrue(); // the worker's chunk
            long previous = w.position.announce(first); // ... and it is preempted
            assertThat(w.standIn.request()).isTrue();
            assertThat(w.standIn.grant(w.position(), ex.ring())).isTrue();
            w.halt = true; // shutdownNow's halt; the worker resumes before the sweep freezes its position
            int then = w.afterAnnouncing(w.position, false, first, previous);
            if (then != ExecutorWorker.LEAVE) {
                ex.ring().get(first).task.run(); // the worker runs it (it read the fields before announcing)
            }
            for (Runnable r : ex.shutdownNow()) {
                r.run();
            }
            assertThat(runs.get((int) first)).as("the slot the grant left to the worker: run by it (%s) or returned",
                    then == ExecutorWorker.LEAVE ? "left" : "run").isEqualTo(1);
            assertThat(runs.get(slots.get(1).intValue())).as("the slot the stand-in took: returned from the backlog").isEqualTo(1);
        }
    }
}
