package io.vela.http.internal;

/**
 * Passed down the pipeline by {@link ClosingAggregator} when a request asks for {@code 100 Continue} and may have
 * it: {@link HttpDispatcher} writes the {@code 100} once the requests before it on the connection are answered,
 * so that the client never takes it for an answer to an earlier request. Stateless singleton.
 */
final class ContinueDue {
    static final ContinueDue INSTANCE = new ContinueDue();

    private ContinueDue() {
    }

    @Override
    public String toString() {
        return "100 Continue due";
    }
}
