package io.vela.engine.actor;

import io.vela.engine.OfferResult;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The temporary reply ref of one {@link ActorRef#ask}: the first reply completes the future, later ones are
 * counted as late replies in the dead letters. Any thread; allocates nothing per reply.
 */
final class AskRef<R> implements ActorRef<R> {
    private final ActorSystem system;
    private final CompletableFuture<R> reply;
    private final ActorPath path;

    AskRef(ActorSystem system, CompletableFuture<R> reply) {
        this.system = system;
        this.reply = reply;
        this.path = system.nextTempPath();
    }

    @Override
    public ActorPath path() {
        return path;
    }

    @Override
    public void tell(R message) {
        tryTell(message);
    }

    @Override
    public OfferResult tryTell(R message) {
        Objects.requireNonNull(message, "message");
        if (reply.complete(message)) {
            return OfferResult.ACCEPTED;
        }
        system.deadLetter(path, message, "late-reply");
        return OfferResult.CLOSED;
    }

    @Override
    public <T> CompletableFuture<T> ask(Function<ActorRef<T>, R> toMessage, Duration timeout) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "an ask's reply ref " + path + " cannot be asked"));
    }

    @Override
    public String toString() {
        return "AskRef[" + path + "]";
    }
}
