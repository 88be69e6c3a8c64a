package io.vela.di.injection.b;

import io.vela.di.injection.a.Base;
import io.vela.di.injection.a.Middle;
import jakarta.inject.Inject;

/** Another package than its superclasses. */
public class Sub extends Middle {
    @Inject Base.Dep subField;

    /** @param dep constructor dependency */
    @Inject
    public Sub(Base.Dep dep) {
        log.add("Sub.<init>");
    }

    /** Same name as Base's package-private method, another package: a second method, injected too. */
    @Inject
    void packageMethod() {
        log.add("Sub.packageMethod");
    }

    @Override
    public void publicOverriddenWithoutInject() {
        log.add("Sub.publicOverriddenWithoutInject");
    }

    @Inject
    private void privateMethod() {
        log.add("Sub.privateMethod");
    }

    @Inject
    void subMethod() {
        log.add("Sub.subMethod subField=" + (subField != null));
    }

    @Override
    protected boolean subFieldInjected() {
        return subField != null;
    }
}
