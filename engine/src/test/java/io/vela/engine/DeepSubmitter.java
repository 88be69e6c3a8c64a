package io.vela.engine;

import java.util.concurrent.Executor;

/**
 * Test helper: recurses until the stack overflows, then, unwinding, calls {@code execute} at every frame from
 * {@code from} to {@code to - 1} frames above the deepest one, so that the StackOverflowError strikes
 * {@code execute} at every depth of its own call chain (including between a claim and its publish). Counts the
 * calls that returned normally and those that overflowed. Its own thread only.
 */
final class DeepSubmitter {
    final Executor ex;
    final Runnable task;
    final int from;
    final int to;
    int bottom = -1;
    int accepted;
    int overflowed;

    DeepSubmitter(Executor ex, Runnable task, int from, int to) {
        this.ex = ex;
        this.task = task;
        this.from = from;
        this.to = to;
    }

    void descend(int depth) {
        try {
            descend(depth + 1);
        } catch (StackOverflowError e) {
            if (bottom < 0) {
                bottom = depth;
            }
        }
        int above = bottom - depth;
        if (above >= from && above < to) {
            try {
                ex.execute(task);
                accepted++;
            } catch (StackOverflowError e) {
                overflowed++;
            }
        }
    }
}
