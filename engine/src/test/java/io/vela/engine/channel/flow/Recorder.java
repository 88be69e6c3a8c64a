package io.vela.engine.channel.flow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test subscriber that records what it is given, requests {@code batch} at a time (re-requesting from
 * {@code onNext} when a batch is used up, 0 = only what the test requests), and notes any overlap of signals, which
 * rule 1.3 forbids. Tests read it from their own thread.
 */
class Recorder<T> implements Flow.Subscriber<T> {
    final List<T> items = new CopyOnWriteArrayList<>();
    final CountDownLatch terminated = new CountDownLatch(1);
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final AtomicInteger completions = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicInteger inSignal = new AtomicInteger();
    private final long batch;
    private volatile Flow.Subscription subscription;
    private long left;

    Recorder(long batch) {
        this.batch = batch;
    }

    Flow.Subscription subscription() {
        return subscription;
    }

    void request(long n) {
        subscription.request(n);
    }

    boolean awaitEnd(long seconds) throws InterruptedException {
        return terminated.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        enter();
        subscription = s;
        if (batch > 0) {
            left = batch;
            s.request(batch);
        }
        exit();
    }

    @Override
    public void onNext(T item) {
        enter();
        items.add(item);
        if (batch > 0 && --left == 0) {
            left = batch;
            subscription.request(batch);
        }
        exit();
    }

    @Override
    public void onError(Throwable t) {
        enter();
        error.set(t);
        terminated.countDown();
        exit();
    }

    @Override
    public void onComplete() {
        enter();
        completions.incrementAndGet();
        terminated.countDown();
        exit();
    }

    private void enter() {
        if (inSignal.getAndIncrement() != 0) {
            overlaps.incrementAndGet();
        }
    }

    private void exit() {
        inSignal.decrementAndGet();
    }
}
