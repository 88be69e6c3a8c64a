package io.vela.bench;

/** Placeholder entry point; replaced by the picocli CLI. */
public final class VelaBench {
    private VelaBench() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
    }
}
