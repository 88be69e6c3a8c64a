package io.vela.di.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vela.di.Container;
import io.vela.di.ContainerValidationException;
import io.vela.di.Scoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Static members: injected only on request ({@code Binder.requestStaticInjection}), once, supertypes first. */
class StaticInjectionTest {
    static final List<String> LOG = new CopyOnWriteArrayList<>();

    @Singleton
    static final class Config {
        @Inject
        Config() {
        }
    }

    static class Parent {
        @Inject static Config parentField;

        @Inject
        static void parentMethod(Provider<Config> config) {
            LOG.add("Parent.parentMethod parentField=" + (parentField != null) + " childField=" + (Child.childField != null));
        }

        @Inject
        Parent() {
        }
    }

    static class Child extends Parent {
        @Inject static Config childField;

        @Inject
        static void childMethod() {
            LOG.add("Child.childMethod childField=" + (childField != null));
        }
    }

    static final class NeedsMissing {
        @Inject static Runnable missing;
    }

    @Scoped
    static final class PerRequest {
        @Inject
        PerRequest() {
        }
    }

    static final class NeedsScoped {
        @Inject static PerRequest request;
    }

    static final class FinalStatic {
        @Inject static final Config CONFIG = null;
    }

    @BeforeEach
    void reset() {
        LOG.clear();
        Parent.parentField = null;
        Child.childField = null;
    }

    @Test
    void withoutARequestStaticMembersAreLeftAloneAndTheClassStillBuilds() {
        try (Container c = Container.builder().install(b -> b.bind(Child.class)).build()) {
            assertThat(c.get(Child.class)).isNotNull();
            assertThat(Parent.parentField).isNull();
            assertThat(Child.childField).isNull();
            assertThat(LOG).isEmpty();
        }
    }

    @Test
    void requestedStaticMembersAreInjectedOnceAtBuildSupertypesFirst() {
        try (Container c = Container.builder()
                .install(b -> b.bind(Child.class))
                .install(b -> b.requestStaticInjection(Child.class, Parent.class, Child.class)).build()) {
            assertThat(LOG).containsExactly("Parent.parentMethod parentField=true childField=false",
                    "Child.childMethod childField=true");
            assertThat(Child.childField).isSameAs(Parent.parentField).isSameAs(c.get(Config.class));
            c.get(Child.class);
            assertThat(LOG).hasSize(2);
        }
    }

    @Test
    void staticDependenciesAreValidatedWithTheGraph() {
        assertThatThrownBy(() -> Container.builder().install(b -> {
            b.requestStaticInjection(NeedsMissing.class, NeedsScoped.class, FinalStatic.class);
        }).build())
                .isInstanceOf(ContainerValidationException.class)
                .satisfies(e -> assertThat(((ContainerValidationException) e).errors()).containsExactly(
                        "@Inject static field FinalStatic.CONFIG is final: it cannot be injected",
                        "Missing binding for Runnable: Runnable ← static members of NeedsMissing"
                                + " (static field NeedsMissing.missing)",
                        "Captive dependency: static members of NeedsScoped depend on scoped"
                                + " PerRequest (static members of NeedsScoped"
                                + " → PerRequest); static members outlive every scope. Resolve"
                                + " PerRequest from the Scope where it is used"));
    }
}
