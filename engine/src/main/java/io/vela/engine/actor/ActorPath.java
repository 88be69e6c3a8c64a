package io.vela.engine.actor;

import java.util.Objects;

/**
 * Where an actor sits in the hierarchy: {@code /user/orders/order-7} for a child {@code order-7} of a root actor
 * {@code orders}. Immutable; equal paths are equal values (a new actor may reuse the path of a stopped one).
 */
public final class ActorPath {
    private final ActorPath parent;
    private final String name;
    private final String text;

    private ActorPath(ActorPath parent, String name) {
        this.parent = parent;
        this.name = name;
        this.text = (parent == null ? "" : parent.text) + "/" + name;
    }

    /**
     * @param name the root element, e.g. {@code user}
     * @return a path with one element
     */
    public static ActorPath root(String name) {
        return new ActorPath(null, validName(name));
    }

    /**
     * @param childName the child's name
     * @return this path extended by {@code childName}
     * @throws InvalidActorNameException if the name is empty or contains {@code /}
     */
    public ActorPath child(String childName) {
        return new ActorPath(this, validName(childName));
    }

    /** @return the last element */
    public String name() {
        return name;
    }

    /** @return the parent path, or this path if it is a root */
    public ActorPath parent() {
        return parent == null ? this : parent;
    }

    static String validName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0 || !name.strip().equals(name)) {
            throw new InvalidActorNameException("actor name '" + name + "' is invalid; valid: a non-empty name "
                    + "without '/' and without leading or trailing blanks");
        }
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActorPath p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
