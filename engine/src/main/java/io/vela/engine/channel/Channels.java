package io.vela.engine.channel;

/** Entry points that span several channels. */
public final class Channels {
    private Channels() {
    }

    /**
     * @return a new, empty {@link Select}; add cases, then {@code await()} (reusable for a loop)
     */
    public static Select select() {
        return new Select();
    }
}
