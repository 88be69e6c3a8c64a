package io.vela.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The claim arithmetic of {@link ClaimSequence}: claims "up to", and range claims over a gap (ADR 0019). */
@Timeout(5)
class ClaimSequenceTest {

    @Test
    void aClaimTakesTheSlotOnceAndEverythingBeforeIt() {
        ClaimSequence c = new ClaimSequence();
        assertThat(c.claim(3)).isTrue();
        assertThat(c.claim(3)).as("taken").isFalse();
        assertThat(c.claim(2)).as("below the last claim: taken").isFalse();
        assertThat(c.get()).isEqualTo(3);
    }

    @Test
    void aRangeClaimRightAfterTheLastClaimSucceeds() {
        ClaimSequence c = new ClaimSequence();
        assertThat(c.claimRange(0, 9)).isTrue();
        assertThat(c.claimRange(10, 20)).isTrue();
        assertThat(c.get()).isEqualTo(20);
    }

    @Test
    void aRangeClaimOverAGapSucceeds() {
        // a worker back from a stand-in whose cover stopped before its chunk's end walks on from the cover, having
        // dealt with every governed slot before it: its next chunk starts past its last claim plus one
        ClaimSequence c = new ClaimSequence();
        assertThat(c.claim(5)).isTrue();
        assertThat(c.claimRange(9, 12)).isTrue();
        assertThat(c.get()).isEqualTo(12);
    }

    @Test
    void aRangeClaimFailsOnceAnyoneClaimedAtOrPastItsStart() {
        ClaimSequence c = new ClaimSequence();
        assertThat(c.claim(9)).as("the sweep took slot 9").isTrue();
        assertThat(c.claimRange(9, 12)).isFalse();
        assertThat(c.claimRange(8, 12)).isFalse();
        assertThat(c.get()).isEqualTo(9);
        assertThat(c.claimRange(10, 12)).isTrue();
    }
}
