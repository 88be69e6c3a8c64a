package io.vela.di.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import io.vela.di.Key;
import io.vela.di.Lifetime;

/** One analysed binding: what it needs and how it is made. Build time only. */
final class Binding {
    enum Kind { CLASS, ALIAS, INSTANCE, SUPPLIER, FUNCTION, LIST, SET, STATIC_MEMBERS }

    final Key<?> key;
    final String label;
    final Kind kind;
    final String origin;
    Lifetime lifetime = Lifetime.TRANSIENT;
    boolean eager;
    boolean jit;
    Class<?> impl;
    Object instance;
    Supplier<?> supplier;
    Function<Object[], Object> fn;
    final List<Dep> deps = new ArrayList<>(2);

    /** CLASS: how the class is built and injected; STATIC_MEMBERS: its static members. Shared between containers. */
    ClassAnalyzer.Plan plan;
    Lifecycle lifecycle;

    // graph analysis state
    int color;
    Node node;
    boolean compiling;

    Binding(Key<?> key, String label, Kind kind, String origin) {
        this.key = key;
        this.label = label;
        this.kind = kind;
        this.origin = origin;
    }

    @Override
    public String toString() {
        return label;
    }

    /** One dependency edge. */
    static final class Dep {
        final Key<?> key;
        final boolean provider;
        final String where;
        Binding target;

        Dep(Key<?> key, boolean provider, String where) {
            this.key = key;
            this.provider = provider;
            this.where = where;
        }
    }
}
