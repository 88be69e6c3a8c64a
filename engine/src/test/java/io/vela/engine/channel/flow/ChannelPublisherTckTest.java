package io.vela.engine.channel.flow;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeClass;

/**
 * Reactive Streams TCK (TestNG, run on the JUnit Platform) for {@link ChannelFlow#publisher}, delivering on a
 * runtime's ring executor. The publisher of {@code n} elements is a channel holding them, then closed; the failed
 * publisher is a channel publisher whose executor refuses work (it must signal {@code onSubscribe}, then
 * {@code onError}).
 */
public class ChannelPublisherTckTest extends FlowPublisherVerification<Long> {
    private static final Executor REFUSING = task -> {
        throw new RejectedExecutionException("this executor refuses every task");
    };

    private TckChannels channels;
    private VelaRuntime runtime;

    /** TestNG makes one instance for all the tests. */
    public ChannelPublisherTckTest() {
        super(new TestEnvironment(TckChannels.TIMEOUT_MS, TckChannels.NO_SIGNAL_MS), 2_000);
    }

    @BeforeClass
    public void startRuntime() {
        channels = new TckChannels();
        runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2).build());
    }

    @AfterMethod
    public void closeChannels() {
        channels.closeAll();
    }

    @AfterClass(alwaysRun = true)
    public void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
        if (channels != null) {
            channels.close();
        }
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return ChannelFlow.publisher(channels.holding(elements), runtime.executor());
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return ChannelFlow.publisher(channels.<Long>empty("tck-failed"), REFUSING);
    }
}
