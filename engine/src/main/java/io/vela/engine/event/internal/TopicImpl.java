package io.vela.engine.event.internal;

import io.vela.engine.OfferResult;
import io.vela.engine.event.EventTranslatorOneArg;
import io.vela.engine.event.EventTranslatorThreeArg;
import io.vela.engine.event.EventTranslatorTwoArg;
import io.vela.engine.event.Topic;
import io.vela.engine.event.TopicStats;
import java.util.Objects;

/**
 * A preallocated topic. Publish methods may be called from any thread; each claims a slot (a batch: its slots, with
 * one claim), lets the translator overwrite it and publishes it, allocating nothing ({@code tryPublish}: never
 * waiting either, refusals returned as {@link OfferResult}). A translator that throws leaves the slot (the whole
 * batch) published as cancelled (never delivered) and its exception propagates.
 *
 * @param <E> slot type
 */
final class TopicImpl<E> implements Topic<E> {
    final TopicRing ring;
    final EventBusImpl bus;

    TopicImpl(EventBusImpl bus, TopicRing ring) {
        this.bus = bus;
        this.ring = ring;
    }

    @Override
    public String name() {
        return ring.name;
    }

    @SuppressWarnings("unchecked")
    private E slot(long seq) {
        return (E) ring.ring.get(seq);
    }

    @Override
    public <A> void publish(EventTranslatorOneArg<? super E, A> translator, A a) {
        long seq = ring.claim();
        try {
            translator.translateTo(slot(seq), a);
        } catch (Throwable t) {
            ring.cancel(seq);
            throw t;
        }
        ring.commit(seq);
    }

    @Override
    public <A, B> void publish(EventTranslatorTwoArg<? super E, A, B> translator, A a, B b) {
        long seq = ring.claim();
        try {
            translator.translateTo(slot(seq), a, b);
        } catch (Throwable t) {
            ring.cancel(seq);
            throw t;
        }
        ring.commit(seq);
    }

    @Override
    public <A, B, C> void publish(EventTranslatorThreeArg<? super E, A, B, C> translator, A a, B b, C c) {
        long seq = ring.claim();
        try {
            translator.translateTo(slot(seq), a, b, c);
        } catch (Throwable t) {
            ring.cancel(seq);
            throw t;
        }
        ring.commit(seq);
    }

    @Override
    public <A> OfferResult tryPublish(EventTranslatorOneArg<? super E, A> translator, A a) {
        long seq = ring.tryClaim();
        if (seq < 0) {
            return TopicRing.refusal(seq);
        }
        try {
            translator.translateTo(slot(seq), a);
        } catch (Throwable t) {
            ring.cancel(seq);
            throw t;
        }
        return ring.tryCommit(seq) ? OfferResult.ACCEPTED : OfferResult.CLOSED;
    }

    @Override
    public <A, B> OfferResult tryPublish(EventTranslatorTwoArg<? super E, A, B> translator, A a, B b) {
        long seq = ring.tryClaim();
        if (seq < 0) {
            return TopicRing.refusal(seq);
        }
        try {
            translator.translateTo(slot(seq), a, b);
        } catch (Throwable t) {
            ring.cancel(seq);
            throw t;
        }
        return ring.tryCommit(seq) ? OfferResult.ACCEPTED : OfferResult.CLOSED;
    }

    @Override
    public <A, B, C> OfferResult tryPublish(EventTranslatorThreeArg<? super E, A, B, C> translator, A a, B b, C c) {
        long seq = ring.tryClaim();
        if (seq < 0) {
            return TopicRing.refusal(seq);
        }
        try {
            translator.translateTo(slot(seq), a, b, c);
        } catch (Throwable t) {
            ring.cancel(seq);
            throw t;
        }
        return ring.tryCommit(seq) ? OfferResult.ACCEPTED : OfferResult.CLOSED;
    }

    @Override
    public <A> void publish(EventTranslatorOneArg<? super E, A> translator, A[] batch, int from, int count) {
        Objects.requireNonNull(translator, "translator");
        int n = ring.checkBatch(Objects.requireNonNull(batch, "batch").length, from, count);
        if (n == 0) {
            return;
        }
        long hi = ring.claimBatch(n);
        long lo = hi - n + 1;
        fill(translator, batch, from, lo, hi);
        ring.commitBatch(lo, hi);
    }

    @Override
    public <A, B> void publish(EventTranslatorTwoArg<? super E, A, B> translator, A[] as, B[] bs, int from,
            int count) {
        Objects.requireNonNull(translator, "translator");
        int n = ring.checkBatch(Math.min(Objects.requireNonNull(as, "as").length,
                Objects.requireNonNull(bs, "bs").length), from, count);
        if (n == 0) {
            return;
        }
        long hi = ring.claimBatch(n);
        long lo = hi - n + 1;
        fill(translator, as, bs, from, lo, hi);
        ring.commitBatch(lo, hi);
    }

    @Override
    public <A> OfferResult tryPublish(EventTranslatorOneArg<? super E, A> translator, A[] batch, int from,
            int count) {
        Objects.requireNonNull(translator, "translator");
        int n = ring.checkBatch(Objects.requireNonNull(batch, "batch").length, from, count);
        if (n == 0) {
            return OfferResult.ACCEPTED;
        }
        long hi = ring.tryClaimBatch(n);
        if (hi < 0) {
            return TopicRing.refusal(hi);
        }
        long lo = hi - n + 1;
        fill(translator, batch, from, lo, hi);
        return ring.tryCommitBatch(lo, hi) ? OfferResult.ACCEPTED : OfferResult.CLOSED;
    }

    /** Fills the claimed slots {@code [lo, hi]} from {@code batch[from...]}; if the translator throws, none is kept. */
    private <A> void fill(EventTranslatorOneArg<? super E, A> translator, A[] batch, int from, long lo, long hi) {
        try {
            int j = from;
            for (long seq = lo; seq <= hi; seq++) {
                translator.translateTo(slot(seq), batch[j++]);
            }
        } catch (Throwable t) {
            ring.cancelBatch(lo, hi);
            throw t;
        }
    }

    private <A, B> void fill(EventTranslatorTwoArg<? super E, A, B> translator, A[] as, B[] bs, int from, long lo,
            long hi) {
        try {
            int j = from;
            for (long seq = lo; seq <= hi; seq++, j++) {
                translator.translateTo(slot(seq), as[j], bs[j]);
            }
        } catch (Throwable t) {
            ring.cancelBatch(lo, hi);
            throw t;
        }
    }

    @Override
    public TopicStats stats() {
        return ring;
    }

    @Override
    public String toString() {
        return ring.toString();
    }
}
