package io.vela.di.injection.a;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

/** Top of a three-class hierarchy over two packages ({@code a}: Base, Middle; {@code b}: Sub). */
public class Base {
    /** What was injected, in order. */
    public final List<String> log = new ArrayList<>();
    @Inject Dep baseField;

    @Inject
    void baseMethod() {
        log.add("Base.baseMethod baseField=" + (baseField != null) + " subField=" + subFieldInjected());
    }

    /** Sub (another package) declares the same package-private method: it does not override this one. */
    @Inject
    void packageMethod() {
        log.add("Base.packageMethod");
    }

    /** Middle (same package) overrides it with {@code @Inject}: injected once, there. */
    @Inject
    void overriddenInSamePackage() {
        log.add("Base.overriddenInSamePackage");
    }

    /** Middle overrides it without {@code @Inject}: not injected at all. */
    @Inject
    void overriddenWithoutInject() {
        log.add("Base.overriddenWithoutInject");
    }

    /** Sub overrides it without {@code @Inject}: not injected. */
    @Inject
    public void publicOverriddenWithoutInject() {
        log.add("Base.publicOverriddenWithoutInject");
    }

    @Inject
    private void privateMethod() {
        log.add("Base.privateMethod");
    }

    /** @return true once Sub's field is injected */
    protected boolean subFieldInjected() {
        return false;
    }

    /** A dependency. */
    public static final class Dep {
        /** Injected. */
        @Inject
        public Dep() {
        }
    }
}
