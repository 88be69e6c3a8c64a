package io.vela.engine.event.internal;

import java.util.Arrays;

/**
 * The subscriptions of one topic, immutable; replaced (copy on write, under the topic's lock) on every subscribe and
 * retirement. Consumers read it once per batch, after waiting for the batch, so that a subscription made before an
 * event was published is in the snapshot used to deliver that event.
 */
final class Snapshot {
    static final Subscriber[] NONE = new Subscriber[0];

    final Subscriber[][] perConsumer;
    final Subscriber[] lossy;
    final Subscriber[] all;

    Snapshot(Subscriber[][] perConsumer, Subscriber[] lossy) {
        this.perConsumer = perConsumer;
        this.lossy = lossy;
        int n = lossy.length;
        for (Subscriber[] c : perConsumer) {
            n += c.length;
        }
        Subscriber[] a = new Subscriber[n];
        int i = 0;
        for (Subscriber[] c : perConsumer) {
            System.arraycopy(c, 0, a, i, c.length);
            i += c.length;
        }
        System.arraycopy(lossy, 0, a, i, lossy.length);
        this.all = a;
    }

    static Snapshot empty(int consumers) {
        Subscriber[][] p = new Subscriber[consumers][];
        Arrays.fill(p, NONE);
        return new Snapshot(p, NONE);
    }

    Snapshot with(Subscriber s) {
        if (s.lossy()) {
            return new Snapshot(perConsumer, append(lossy, s));
        }
        Subscriber[][] p = perConsumer.clone();
        p[s.consumerIndex()] = append(p[s.consumerIndex()], s);
        return new Snapshot(p, lossy);
    }

    Snapshot without(Subscriber s) {
        if (s.lossy()) {
            return new Snapshot(perConsumer, remove(lossy, s));
        }
        Subscriber[][] p = perConsumer.clone();
        p[s.consumerIndex()] = remove(p[s.consumerIndex()], s);
        return new Snapshot(p, lossy);
    }

    static Subscriber[] append(Subscriber[] a, Subscriber s) {
        Subscriber[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = s;
        return b;
    }

    static Subscriber[] remove(Subscriber[] a, Subscriber s) {
        return Arrays.stream(a).filter(x -> x != s).toArray(Subscriber[]::new);
    }
}
