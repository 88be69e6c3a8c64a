package io.vela.engine.actor;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ActorContext} of one actor. Only the actor's turn may call it (checked). Timers allocate. */
final class ContextImpl<M> implements ActorContext<M> {
    private static final Logger LOG = LoggerFactory.getLogger(ContextImpl.class);
    private static final int PURGE_AT = 64;

    private final ActorCell<M> cell;
    private final Lifecycle<M> life;

    ContextImpl(ActorCell<M> cell, Lifecycle<M> life) {
        this.cell = cell;
        this.life = life;
    }

    @Override
    public ActorRef<M> self() {
        return cell;
    }

    @Override
    public ActorSystem system() {
        return cell.system;
    }

    @Override
    public <C> ActorRef<C> spawn(Behavior<C> behavior, String name) {
        return spawn(behavior, name, ActorOptions.defaults());
    }

    @Override
    public <C> ActorRef<C> spawn(Behavior<C> behavior, String name, ActorOptions options) {
        onTurn();
        if (life.state() != ActorCell.ALIVE) {
            throw new IllegalStateException("actor " + cell.path + " is stopping; it cannot spawn " + name);
        }
        ActorPath path = cell.path.child(name);
        if (life.children.containsKey(name)) {
            throw new InvalidActorNameException("actor name '" + name + "' is already taken under " + cell.path);
        }
        ActorCell<C> child = cell.system.newCell(path, cell, behavior, options);
        life.children.put(name, child);
        cell.system.start(child);
        return child;
    }

    @Override
    public void stop(ActorRef<?> child) {
        onTurn();
        if (!(child instanceof ActorCell<?> c) || c.parent != cell) {
            throw new IllegalArgumentException(child + " is not a child of " + cell.path
                    + "; an actor stops itself by returning Behaviors.stopped()");
        }
        c.requestStop();
    }

    @Override
    public void watch(ActorRef<?> other) {
        onTurn();
        if (!(other instanceof ActorCell<?> c)) {
            throw new IllegalArgumentException(other + " cannot be watched (only actors can)");
        }
        if (life.watching.add(c)) {
            c.lifecycle().addWatcher(cell);
        }
    }

    @Override
    public void unwatch(ActorRef<?> other) {
        onTurn();
        if (other instanceof ActorCell<?> c && life.watching.remove(c)) {
            c.lifecycle().removeWatcher(cell);
        }
    }

    @Override
    public List<ActorRef<?>> children() {
        onTurn();
        return List.copyOf(life.children.values());
    }

    @Override
    public <T> Cancellable scheduleOnce(Duration delay, ActorRef<T> target, T message) {
        Runnable tell = telling(target, message);
        return keep(cell.system.timer().schedule(tell, nanos(delay), TimeUnit.NANOSECONDS));
    }

    @Override
    public <T> Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, ActorRef<T> target,
            T message) {
        Runnable tell = telling(target, message);
        long p = nanos(Objects.requireNonNull(period, "period"));
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period " + period + " is invalid; valid: a positive duration");
        }
        return keep(cell.system.timer().scheduleAtFixedRate(tell, nanos(initialDelay), p, TimeUnit.NANOSECONDS));
    }

    private <T> Runnable telling(ActorRef<T> target, T message) {
        onTurn();
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(message, "message");
        return () -> {
            try {
                target.tell(message);
            } catch (RejectedExecutionException e) {
                LOG.warn("Timer of actor {}: {} refused the message: {}", cell.path, target.path(), e.getMessage());
            }
        };
    }

    private Cancellable keep(java.util.concurrent.ScheduledFuture<?> f) {
        if (life.timers.size() >= PURGE_AT) {
            life.timers.removeIf(TimerHandle::isDone);
        }
        TimerHandle h = new TimerHandle(f);
        life.timers.add(h);
        return h;
    }

    private static long nanos(Duration d) {
        return io.vela.engine.internal.Threads.nanos(Objects.requireNonNull(d, "delay"));
    }

    private void onTurn() {
        if (cell.runningOn != Thread.currentThread()) {
            throw new IllegalStateException("the context of actor " + cell.path + " was used outside the actor's "
                    + "turn (from " + Thread.currentThread().getName() + "); only its handlers may use it");
        }
    }
}
