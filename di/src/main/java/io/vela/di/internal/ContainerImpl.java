package io.vela.di.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vela.di.Container;
import io.vela.di.DiException;
import io.vela.di.Key;
import io.vela.di.Scope;
import jakarta.inject.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built container. Any thread may call {@link #get}: an unqualified class is found in an identity table whose
 * slots also hold ready singletons (one acquire read), a key in a hash map. Nothing is allocated but the instances
 * created.
 */
public final class ContainerImpl implements Container {
    private static final Logger LOG = LoggerFactory.getLogger(Container.class);

    private final ContainerState state;
    final Object[] classPairs;
    final Node[] classNodes;
    private final ClassTable table;
    private final Map<Key<?>, Node> byKey;
    private final Nodes.Singleton[] singletons;
    private final Collection<Key<?>> knownKeys;
    final int slotCount;
    /** Open scopes with instances to destroy, in registration order; guarded by itself. */
    private final Set<ScopeImpl> liveScopes = new LinkedHashSet<>();
    private boolean scopesClosed;

    ContainerImpl(ContainerState state, ClassTable table, Map<Key<?>, Node> byKey, List<Nodes.Singleton> singletons,
                  int slotCount, Collection<Key<?>> knownKeys) {
        this.state = state;
        this.table = table;
        this.classPairs = table.pairs;
        this.classNodes = table.nodes;
        this.byKey = byKey;
        this.singletons = singletons.toArray(new Nodes.Singleton[0]);
        this.slotCount = slotCount;
        this.knownKeys = knownKeys;
    }

    Node node(Key<?> key) {
        Node n = byKey.get(key);
        if (n == null) {
            throw new DiException("No binding for " + key + ": the container resolves only keys known when it was"
                    + " built; bind it in a module" + Suggestions.didYouMean(key, knownKeys));
        }
        return n;
    }

    Node node(Class<?> type) {
        Node n = ClassTable.get(classPairs, classNodes, type);
        return n != null ? n : node(Key.of(type));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Class<T> type) {
        // first probe inline (the common case at load factor 1/4); collisions and misses out of line
        Object[] pairs = classPairs;
        int i = type.hashCode() & ((pairs.length >> 1) - 1);
        if (pairs[i << 1] == type) {
            Object ready = Nodes.SLOTS.getAcquire(pairs, (i << 1) + 1);
            return (T) (ready != null ? ready : classNodes[i].get(null));
        }
        return (T) getSlow(type, null);
    }

    /** Collisions and unknown classes, out of line so that the first-probe path stays small. */
    Object getSlow(Class<?> type, ScopeImpl scope) {
        Object o = ClassTable.resolve(classPairs, classNodes, type, scope);
        return o != ClassTable.MISSING ? o : node(Key.of(type)).get(scope);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        return (T) node(key).get(null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Provider<T> provider(Key<T> key) {
        return (Provider<T>) new Nodes.RootProvider(node(key));
    }

    @Override
    public Scope openScope() {
        if (state.closed) {
            throw new DiException("The container is closed");
        }
        return new ScopeImpl(this, state);
    }

    /**
     * Records an open scope that holds instances to destroy, so that {@link #close()} can close it.
     *
     * @return false if the container is closing or closed (the scope must not create such instances then)
     */
    boolean register(ScopeImpl scope) {
        synchronized (liveScopes) {
            if (scopesClosed) {
                return false;
            }
            liveScopes.add(scope);
            return true;
        }
    }

    /** Forgets a scope its opener closed. */
    void unregister(ScopeImpl scope) {
        synchronized (liveScopes) {
            liveScopes.remove(scope);
        }
    }

    @Override
    public void close() {
        List<ScopeImpl> open;
        synchronized (liveScopes) {
            scopesClosed = true;
            open = new ArrayList<>(liveScopes);
            liveScopes.clear();
        }
        DiException failure = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (DiException e) {
                failure = merge(failure, e);
            }
        }
        try {
            closeSingletons();
        } catch (DiException e) {
            failure = merge(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static DiException merge(DiException first, DiException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private void closeSingletons() {
        List<Lifecycle.Tracked> toDestroy;
        state.creationLock.lock();
        try {
            if (state.closed) {
                return;
            }
            state.closed = true;
            table.clearInstances();
            for (Nodes.Singleton s : singletons) {
                s.clear();
            }
            toDestroy = state.created;
            state.created = new ArrayList<>(0);
        } finally {
            state.creationLock.unlock();
        }
        destroyAll(toDestroy, "container");
    }

    static void destroyAll(List<Lifecycle.Tracked> tracked, String what) {
        DiException failure = null;
        for (int i = tracked.size() - 1; i >= 0; i--) {
            Lifecycle.Tracked t = tracked.get(i);
            try {
                t.lifecycle.destroy(t.instance);
            } catch (Throwable e) {
                LOG.warn("Destroying {} failed while closing the {}", t.label, what, e);
                if (failure == null) {
                    failure = new DiException("Closing the " + what + ": destroying " + t.label + " failed: " + e, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Container[" + byKey.size() + " keys" + (state.closed ? ", closed" : "") + "]";
    }
}
