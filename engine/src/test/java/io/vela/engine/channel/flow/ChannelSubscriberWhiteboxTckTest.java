package io.vela.engine.channel.flow;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberWhiteboxVerification;

/**
 * Reactive Streams TCK, white-box subscriber rules, for {@link ChannelFlow#subscriber}: a thin wrapper reports each
 * signal to the TCK's probe after the channel subscriber has handled it, and lets the TCK request and cancel.
 */
public class ChannelSubscriberWhiteboxTckTest extends FlowSubscriberWhiteboxVerification<Integer> {
    /** TestNG makes one instance for all the tests. */
    public ChannelSubscriberWhiteboxTckTest() {
        super(new TestEnvironment(TckChannels.TIMEOUT_MS, TckChannels.NO_SIGNAL_MS));
    }

    @Override
    public Flow.Subscriber<Integer> createFlowSubscriber(WhiteboxSubscriberProbe<Integer> probe) {
        ChannelSubscriber<Integer> inner = ChannelFlow.subscriber(TckChannels.<Integer>unmanaged("tck-whitebox"), 4);
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                inner.onSubscribe(s);
                probe.registerOnSubscribe(new SubscriberPuppet() {
                    @Override
                    public void triggerRequest(long elements) {
                        s.request(elements);
                    }

                    @Override
                    public void signalCancel() {
                        s.cancel();
                    }
                });
            }

            @Override
            public void onNext(Integer item) {
                inner.onNext(item);
                probe.registerOnNext(item);
            }

            @Override
            public void onError(Throwable error) {
                inner.onError(error);
                probe.registerOnError(error);
            }

            @Override
            public void onComplete() {
                inner.onComplete();
                probe.registerOnComplete();
            }
        };
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
