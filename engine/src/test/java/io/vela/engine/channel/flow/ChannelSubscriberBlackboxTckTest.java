package io.vela.engine.channel.flow;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;

/** Reactive Streams TCK, black-box subscriber rules, for {@link ChannelFlow#subscriber}. */
public class ChannelSubscriberBlackboxTckTest extends FlowSubscriberBlackboxVerification<Integer> {
    /** TestNG makes one instance for all the tests. */
    public ChannelSubscriberBlackboxTckTest() {
        super(new TestEnvironment(TckChannels.TIMEOUT_MS, TckChannels.NO_SIGNAL_MS));
    }

    @Override
    public Flow.Subscriber<Integer> createFlowSubscriber() {
        return ChannelFlow.subscriber(TckChannels.<Integer>unmanaged("tck-blackbox"), 4);
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
