package io.vela.engine.channel.flow;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;

/** Reactive Streams TCK, black-box subscriber rules, for {@link ChannelFlow#subscriber}. */
public class ChannelSubscriberBlackboxTckTest extends FlowSubscriberBlackboxVerification<Integer> {
    private final TckChannels channels = new TckChannels();

    /** TestNG makes one instance for all the tests. */
    public ChannelSubscriberBlackboxTckTest() {
        super(new TestEnvironment(TckChannels.TIMEOUT_MS, TckChannels.NO_SIGNAL_MS));
    }

    @AfterMethod
    public void closeChannels() {
        channels.closeAll();
    }

    @AfterClass(alwaysRun = true)
    public void stop() {
        channels.close();
    }

    @Override
    public Flow.Subscriber<Integer> createFlowSubscriber() {
        return ChannelFlow.subscriber(channels.<Integer>empty("tck-blackbox"), 4);
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
