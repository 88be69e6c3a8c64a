package io.vela.bench.events;

import com.google.common.eventbus.AllowConcurrentEvents;
import com.google.common.eventbus.AsyncEventBus;
import com.google.common.eventbus.Subscribe;
import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.WaitStrategy;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.EventTranslatorOneArg;
import io.vela.engine.event.Topic;
import io.vela.engine.event.TopicOptions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The buses compared, each wired the same way: every subscriber on one consumer thread. Vela and the raw Disruptor
 * use the yielding wait strategy and a 16384-slot ring; Guava's {@code AsyncEventBus} runs on a single-thread
 * executor; Vert.x has one event loop and all consumers registered on one context.
 */
final class Subjects {
    static final int RING = 16384;
    static final String ADDRESS = "bench";

    private Subjects() {
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    static VelaConfig velaConfig(WaitStrategy wait) {
        return VelaConfig.builder().set(Settings.EVENTS_RING_SIZE, RING)
                .set(Settings.EVENTS_WAIT_STRATEGY, wait)
                .set(Settings.EVENTS_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.THREAD_NAME_PREFIX, "bench").build();
    }

    /**
     * Vela, preallocated topic, translator publish: allocates nothing per event. With one publisher the topic is
     * declared single-publisher, as the raw Disruptor uses a single-producer ring then.
     */
    static final class Vela implements EventSubject {
        private static final EventTranslatorOneArg<BenchEvent, Sender> FILL = BenchEvent::fill;
        private final EventBus bus;
        private final Topic<BenchEvent> topic;

        Vela(int publishers, int subscribers, Deliveries d) {
            this(publishers, subscribers, d, WaitStrategy.YIELDING);
        }

        Vela(int publishers, int subscribers, Deliveries d, WaitStrategy wait) {
            bus = EventBus.create(velaConfig(wait), Runnable::run, daemon("bench-vela"));
            TopicOptions<BenchEvent> options = TopicOptions.of(BenchEvent::new);
            topic = bus.topic("bench", publishers == 1 ? options.singlePublisher() : options);
            for (int k = 0; k < subscribers; k++) {
                int sub = k;
                bus.subscribe(topic, e -> d.delivered(sub, e.publisher, e.sendNanos));
            }
        }

        @Override
        public void publish(Sender s) {
            topic.publish(FILL, s);
        }

        @Override
        public void publishBatch(Sender[] batch) {
            topic.publish(FILL, batch, 0, batch.length);
        }

        @Override
        public void close() {
            bus.close();
        }
    }

    /** Vela, object events on the default topic, dispatched by type: one allocation (the event) per publish. */
    static final class VelaObject implements EventSubject {
        private final EventBus bus;

        VelaObject(int publishers, int subscribers, Deliveries d) {
            bus = EventBus.create(velaConfig(WaitStrategy.YIELDING), Runnable::run, daemon("bench-vela"));
            for (int k = 0; k < subscribers; k++) {
                int sub = k;
                bus.subscribe(BenchMessage.class, m -> d.delivered(sub, m.publisher(), m.sendNanos()));
            }
        }

        @Override
        public void publish(Sender s) {
            bus.publish(new BenchMessage(s.pid, s.sendNanos));
        }

        @Override
        public void close() {
            bus.close();
        }
    }

    /**
     * The same topology written directly on the Disruptor: one {@link BatchEventProcessor} whose handler calls every
     * subscriber; single-producer ring for one publisher (what one would write by hand), multi-producer otherwise
     * or with {@code -Dvela.bench.events.raw-multi=true} (Vela's rings are always multi-producer).
     */
    static final class DisruptorRaw implements EventSubject {
        private static final com.lmax.disruptor.EventTranslatorOneArg<BenchEvent, Sender> FILL =
                (e, seq, s) -> BenchEvent.fill(e, s);
        private final RingBuffer<BenchEvent> ring;
        private final BatchEventProcessor<BenchEvent> processor;
        private final Thread thread;

        DisruptorRaw(int publishers, int subscribers, Deliveries d) {
            this(publishers, subscribers, d, WaitStrategy.YIELDING);
        }

        DisruptorRaw(int publishers, int subscribers, Deliveries d, WaitStrategy wait) {
            ring = publishers == 1 && !Boolean.getBoolean("vela.bench.events.raw-multi")
                    ? RingBuffer.createSingleProducer(BenchEvent::new, RING, wait.newRingStrategy())
                    : RingBuffer.createMultiProducer(BenchEvent::new, RING, wait.newRingStrategy());
            List<EventHandler<BenchEvent>> subs = new ArrayList<>();
            for (int k = 0; k < subscribers; k++) {
                int sub = k;
                subs.add((e, seq, end) -> d.delivered(sub, e.publisher, e.sendNanos));
            }
            @SuppressWarnings("unchecked")
            EventHandler<BenchEvent>[] handlers = subs.toArray(EventHandler[]::new);
            EventHandler<BenchEvent> all = (e, seq, end) -> {
                for (EventHandler<BenchEvent> h : handlers) {
                    h.onEvent(e, seq, end);
                }
            };
            processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), all);
            ring.addGatingSequences(processor.getSequence());
            thread = daemon("bench-disruptor").newThread(processor);
            thread.start();
        }

        @Override
        public void publish(Sender s) {
            ring.publishEvent(FILL, s);
        }

        @Override
        public void publishBatch(Sender[] batch) {
            ring.publishEvents(FILL, batch);
        }

        @Override
        public void close() {
            processor.halt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Guava's {@code AsyncEventBus} on a single-thread executor. */
    static final class Guava implements EventSubject {
        private final ExecutorService executor = Executors.newSingleThreadExecutor(daemon("bench-guava"));
        private final AsyncEventBus bus = new AsyncEventBus("bench", executor);

        Guava(int publishers, int subscribers, Deliveries d) {
            for (int k = 0; k < subscribers; k++) {
                bus.register(new GuavaSubscriber(k, d));
            }
        }

        @Override
        public void publish(Sender s) {
            bus.post(new BenchMessage(s.pid, s.sendNanos));
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    /** A Guava subscriber; thread-safe as far as Guava needs (one executor thread calls it). */
    public static final class GuavaSubscriber {
        private final int sub;
        private final Deliveries d;

        GuavaSubscriber(int sub, Deliveries d) {
            this.sub = sub;
            this.d = d;
        }

        /** @param m the event */
        @Subscribe
        @AllowConcurrentEvents
        public void on(BenchMessage m) {
            d.delivered(sub, m.publisher(), m.sendNanos());
        }
    }

    /** Vert.x 5's local event bus: one event loop; every consumer registered on one context; {@code publish}. */
    static final class Vertx5 implements EventSubject {
        private final Vertx vertx;

        Vertx5(int publishers, int subscribers, Deliveries d) {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1));
            vertx.eventBus().registerDefaultCodec(BenchMessage.class, new LocalCodec());
            Context ctx = vertx.getOrCreateContext();
            CompletableFuture<Void> ready = new CompletableFuture<>();
            ctx.runOnContext(v -> {
                List<io.vertx.core.Future<Void>> done = new ArrayList<>();
                for (int k = 0; k < subscribers; k++) {
                    int sub = k;
                    MessageConsumer<BenchMessage> c = vertx.eventBus().localConsumer(ADDRESS,
                            (Message<BenchMessage> m) -> d.delivered(sub, m.body().publisher(), m.body().sendNanos()));
                    done.add(c.completion());
                }
                io.vertx.core.Future.all(done).onComplete(r -> ready.complete(null));
            });
            ready.orTimeout(10, TimeUnit.SECONDS).join();
        }

        @Override
        public void publish(Sender s) {
            vertx.eventBus().publish(ADDRESS, new BenchMessage(s.pid, s.sendNanos));
        }

        @Override
        public void close() {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    /** Passes the object itself to local consumers (no copy, no wire format). */
    static final class LocalCodec implements MessageCodec<BenchMessage, BenchMessage> {
        @Override
        public void encodeToWire(Buffer buffer, BenchMessage m) {
            throw new UnsupportedOperationException("local only");
        }

        @Override
        public BenchMessage decodeFromWire(int pos, Buffer buffer) {
            throw new UnsupportedOperationException("local only");
        }

        @Override
        public BenchMessage transform(BenchMessage m) {
            return m;
        }

        @Override
        public String name() {
            return "bench-local";
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }
}
