package io.vela.engine.channel;

import io.vela.engine.VelaConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How many threads may send into, and receive from, a channel at the same time. The arity picks the queue: the
 * fewer parties, the fewer atomic instructions per element. The caller must keep the arity it declared; a channel
 * does not check it (that would cost what the arity saves). See {@link Channel} for what breaks when it is not kept.
 */
public enum ChannelArity {
    /** One sending thread and one receiving thread at a time (Agrona {@code OneToOneConcurrentArrayQueue}). */
    ONE_TO_ONE,
    /** Any number of sending threads, one receiving thread at a time (Agrona {@code ManyToOneConcurrentArrayQueue}). */
    MANY_TO_ONE,
    /** Any number of threads on both sides (Agrona {@code ManyToManyConcurrentArrayQueue}). */
    MANY_TO_MANY;

    /** @return the configuration name, e.g. {@code one-to-one} */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return true if several threads may send at once */
    public boolean manySenders() {
        return this != ONE_TO_ONE;
    }

    /** @return true if several threads may receive at once */
    public boolean manyReceivers() {
        return this == MANY_TO_MANY;
    }

    /**
     * @param name a configuration name such as {@code many-to-one} (case and {@code _}/{@code -} are ignored)
     * @return the arity
     * @throws VelaConfigException naming the bad value and the valid names
     */
    public static ChannelArity fromConfigName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ChannelArity a : values()) {
            if (a.name().equals(n)) {
                return a;
            }
        }
        throw new VelaConfigException(List.of("channel arity = '" + name + "' is invalid; valid: "
                + Arrays.stream(values()).map(ChannelArity::configName).collect(Collectors.joining(", "))));
    }
}
