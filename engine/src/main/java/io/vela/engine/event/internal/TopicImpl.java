package io.vela.engine.event.internal;

import io.vela.engine.OfferResult;
import io.vela.engine.event.EventTranslatorOneArg;
import io.vela.engine.event.EventTranslatorThreeArg;
import io.vela.engine.event.EventTranslatorTwoArg;
import io.vela.engine.event.Topic;
import io.vela.engine.event.TopicStats;

/**
 * A preallocated topic. Publish methods may be called from any thread; each claims a slot, lets the translator
 * overwrite it and publishes it, allocating nothing ({@code tryPublish}: never waiting either, refusals returned as
 * {@link OfferResult}). A translator that throws leaves the slot published as cancelled (never delivered) and its
 * exception propagates.
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
    public TopicStats stats() {
        return ring;
    }

    @Override
    public String toString() {
        return ring.toString();
    }
}
