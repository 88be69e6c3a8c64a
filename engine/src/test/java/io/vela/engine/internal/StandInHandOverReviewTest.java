package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.WaitStrategy;
import io.vela.engine.counters.VelaCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
}
