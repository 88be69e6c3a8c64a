package io.vela.engine.actor;

/** The actor has stopped (after its children): the last thing its behaviour sees. Release resources here. */
public final class PostStop implements Signal {
    /** The only instance. */
    public static final PostStop INSTANCE = new PostStop();

    private PostStop() {
    }

    @Override
    public String toString() {
        return "PostStop";
    }
}
