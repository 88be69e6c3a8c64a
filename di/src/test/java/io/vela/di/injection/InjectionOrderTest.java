package io.vela.di.injection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.vela.di.Container;
import io.vela.di.injection.b.Sub;
import org.junit.jupiter.api.Test;

/**
 * JSR-330 member injection: constructor, then per class, superclass first, that class's fields then its methods; an
 * overridden method (JLS rules: package-private methods override only within their package, private methods never)
 * is injected once, on the most derived declaration, and not at all when that declaration lacks {@code @Inject}.
 */
class InjectionOrderTest {

    @Test
    void superclassFieldsAndMethodsBeforeSubclassFieldsAndMethods() {
        try (Container c = Container.builder().install(b -> b.bind(Sub.class)).build()) {
            List<String> log = c.get(Sub.class).log;

            assertThat(log).hasSize(8);
            assertThat(log.get(0)).isEqualTo("Sub.<init>");
            // Base's methods run with Base's field injected and Sub's field not yet (order within a class is free)
            assertThat(log.subList(1, 4)).containsExactlyInAnyOrder(
                    "Base.baseMethod baseField=true subField=false", "Base.packageMethod", "Base.privateMethod");
            assertThat(log.get(4)).isEqualTo("Middle.overriddenInSamePackage");
            assertThat(log.subList(5, 8)).containsExactlyInAnyOrder(
                    "Sub.packageMethod", "Sub.privateMethod", "Sub.subMethod subField=true");
        }
    }

    @Test
    void overridesWithoutInjectAreNotInjectedAnywhere() {
        try (Container c = Container.builder().install(b -> b.bind(Sub.class)).build()) {
            assertThat(c.get(Sub.class).log).noneMatch(e -> e.contains("WithoutInject"))
                    .doesNotContain("Base.overriddenInSamePackage");
        }
    }

    @Test
    void secondContainerOfTheSameClassesInjectsTheSame() {
        List<String> first;
        try (Container c = Container.builder().install(b -> b.bind(Sub.class)).build()) {
            first = c.get(Sub.class).log;
        }
        try (Container c = Container.builder().install(b -> b.bind(Sub.class)).build()) {
            assertThat(c.get(Sub.class).log).isEqualTo(first);
        }
    }
}
