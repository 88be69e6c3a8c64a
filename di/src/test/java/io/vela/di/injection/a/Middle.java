package io.vela.di.injection.a;

import jakarta.inject.Inject;

/** Same package as Base. */
public class Middle extends Base {
    @Override
    @Inject
    void overriddenInSamePackage() {
        log.add("Middle.overriddenInSamePackage");
    }

    @Override
    void overriddenWithoutInject() {
        log.add("Middle.overriddenWithoutInject");
    }
}
