package io.vela.di.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.vela.di.Key;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Class analysis is done once per class and shared by every container built afterwards. */
class ClassAnalyzerCacheTest {
    static final class Leaf {
        @Inject
        Leaf() {
        }
    }

    static final class Service {
        @Inject Leaf field;

        @Inject
        Service(Leaf leaf) {
        }

        @Inject
        void init(Leaf leaf, Leaf other) {
        }
    }

    @Test
    void secondBindingOfTheSameClassReusesThePlanButGetsItsOwnDependencyEdges() {
        List<String> errors = new ArrayList<>();
        Binding first = new Binding(Key.of(Service.class), "Service", Binding.Kind.CLASS, "test");
        Binding second = new Binding(Key.of(Service.class), "Service", Binding.Kind.CLASS, "test");
        ClassAnalyzer.analyze(first, Service.class, errors);
        ClassAnalyzer.analyze(second, Service.class, errors);

        assertThat(errors).isEmpty();
        assertThat(second.plan).isSameAs(first.plan);
        assertThat(first.plan.members).hasSize(2);
        assertThat(first.plan.memberArities).containsExactly(1, 2);
        // edges are per container (their targets are linked per build), never shared
        assertThat(first.deps).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(second.deps.get(i)).isNotSameAs(first.deps.get(i));
            assertThat(second.deps.get(i).key).isEqualTo(first.deps.get(i).key);
            assertThat(second.deps.get(i).where).isEqualTo(first.deps.get(i).where);
        }
    }
}
