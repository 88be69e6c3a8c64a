package io.vela.engine.event.internal;

import io.vela.engine.event.EventTranslatorOneArg;
import io.vela.engine.event.EventTranslatorThreeArg;
import io.vela.engine.event.EventTranslatorTwoArg;
import io.vela.engine.event.Topic;
import io.vela.engine.event.TopicStats;

/**
 * A preallocated topic. Publish methods may be called from any thread; each claims a slot, lets the translator
 * overwrite it and publishes it, allocating nothing. A translator that throws leaves the slot published as
 * cancelled (never delivered) and its exception propagates.
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

    @Override
    @SuppressWarnings("unchecked")
    public <A> void publish(EventTranslatorOneArg<? super E, A> translator, A a) {
        long seq = ring.claim();
        try {
            translator.translateTo((E) ring.ring.get(seq), a);
        } catch (Throwable t) {
            ring.cancel(seq);
            throw t;
        }
        ring.commit(seq);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A, B> void publish(EventTranslatorTwoArg<? super E, A, B> translator, A a, B b) {
        long seq = ring.claim();
        try {
            translator.translateTo((E) ring.ring.get(seq), a, b);
        } catch (Throwable t) {
            ring.cancel(seq);
            throw t;
        }
        ring.commit(seq);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A, B, C> void publish(EventTranslatorThreeArg<? super E, A, B, C> translator, A a, B b, C c) {
        long seq = ring.claim();
        try {
            translator.translateTo((E) ring.ring.get(seq), a, b, c);
        } catch (Throwable t) {
            ring.cancel(seq);
            throw t;
        }
        ring.commit(seq);
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
