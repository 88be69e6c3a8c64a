package io.vela.di.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.vela.di.DiException;
import io.vela.di.Key;
import io.vela.di.Scope;
import jakarta.inject.Provider;

/**
 * One open scope: an array with one slot per scoped binding (index assigned at build). Any thread may call
 * {@link #get}; an existing scoped instance is an acquire-read of its slot. Creation is serialised on this scope.
 * Public only because generated factories name it in a descriptor; not an API.
 */
public final class ScopeImpl implements Scope {
    private final ContainerImpl container;
    private final ContainerState state;
    final Object[] slots;
    /** Instances with destroy callbacks, in creation order; the scope registers with its container at the first. */
    private List<Lifecycle.Tracked> created;
    private volatile boolean closed;

    ScopeImpl(ContainerImpl container, ContainerState state) {
        this.container = container;
        this.state = state;
        this.slots = new Object[container.slotCount];
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Class<T> type) {
        if (closed || state.closed) {
            throw closedException(Key.of(type).toString());
        }
        ContainerImpl c = container;
        Object[] pairs = c.classPairs;
        int i = type.hashCode() & ((pairs.length >> 1) - 1);
        if (pairs[i << 1] == type) {
            Object ready = Nodes.SLOTS.getAcquire(pairs, (i << 1) + 1);
            return (T) (ready != null ? ready : c.classNodes[i].get(this));
        }
        return (T) c.getSlow(type, this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        Node n = container.node(key);
        if (closed || state.closed) {
            throw closedException(key.toString());
        }
        return (T) n.get(this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Provider<T> provider(Key<T> key) {
        return (Provider<T>) new Nodes.ScopedProvider(container.node(key), this, key.toString());
    }

    /** @throws DiException if this scope or its container is closed */
    void ensureOpen(String label) {
        if (closed || state.closed) {
            throw closedException(label);
        }
    }

    private DiException closedException(String label) {
        return closedException(label, state.closed);
    }

    private static DiException closedException(String label, boolean containerClosed) {
        return new DiException("Cannot resolve " + label + (containerClosed ? ": the container is closed (and closed"
                + " its scopes)" : ": the scope is closed"));
    }

    synchronized Object create(Nodes.Scoped node) {
        ensureOpen(node.label);
        Object o = slots[node.slot];
        if (o == Nodes.CREATING) {
            throw new DiException("Scoped " + node.label + " was requested while it is being created: a cycle broken"
                    + " by a Provider is being closed inside a constructor; call the Provider later");
        }
        if (o != null) {
            return o;
        }
        if (node.lifecycle != null && created == null) {
            // from now on this scope has something to destroy: the container closes it if its opener does not
            if (!container.register(this)) {
                throw closedException(node.label, true);
            }
            created = new ArrayList<>(4);
        }
        slots[node.slot] = Nodes.CREATING;
        try {
            o = node.creator.get(this);
        } catch (RuntimeException | Error e) {
            slots[node.slot] = null;
            throw e;
        }
        if (node.lifecycle != null) {
            created.add(new Lifecycle.Tracked(o, node.lifecycle, node.label));
        }
        Nodes.SLOTS.setRelease(slots, node.slot, o);
        return o;
    }

    @Override
    public void close() {
        List<Lifecycle.Tracked> toDestroy;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            Arrays.fill(slots, null);
            toDestroy = created;
            created = null;
        }
        if (toDestroy != null) {
            container.unregister(this);
            ContainerImpl.destroyAll(toDestroy, "scope");
        }
    }
}
