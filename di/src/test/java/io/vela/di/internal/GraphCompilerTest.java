package io.vela.di.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.vela.di.Container;
import io.vela.di.DiException;
import io.vela.di.Scope;
import io.vela.di.Scoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

/** Hot transient bindings are compiled to generated classes; the result must behave exactly like before. */
class GraphCompilerTest {

    @Singleton
    static final class Shared {
        @Inject
        Shared() {
        }
    }

    @Scoped
    static final class PerRequest {
        @Inject
        PerRequest() {
        }
    }

    interface Plugin {
    }

    static final class PluginA implements Plugin {
    }

    static final class Leaf {
        private Leaf() {
        }

        @Inject
        Leaf(Shared shared) {
            this.shared = shared;
        }

        Shared shared;
    }

    static final class Mid {
        final Leaf leaf;
        final PerRequest request;
        final Provider<Leaf> leaves;

        @Inject
        private Mid(Leaf leaf, PerRequest request, Provider<Leaf> leaves) {
            this.leaf = leaf;
            this.request = request;
            this.leaves = leaves;
        }
    }

    static final class Root {
        final Mid mid;
        final List<Plugin> plugins;
        final Shared shared;

        @Inject
        Root(Mid mid, List<Plugin> plugins, Shared shared) {
            this.mid = mid;
            this.plugins = plugins;
            this.shared = shared;
        }
    }

    static final class Exploding {
        static boolean explode;

        @Inject
        Exploding() {
            if (explode) {
                throw new IllegalStateException("boom");
            }
        }
    }

    @Test
    void hotGraphIsCompiledAndBehavesTheSame() {
        try (Container c = Container.builder().install(b -> {
            b.bind(Root.class);
            b.multibind(Plugin.class).add(PluginA.class);
        }).build(); Scope scope = c.openScope()) {
            ContainerImpl impl = (ContainerImpl) c;
            Nodes.CtorNode rootNode = (Nodes.CtorNode) impl.node(Root.class);
            Root previous = null;
            for (int i = 0; i < Nodes.TIER_UP_CALLS + 10; i++) {
                Root r = scope.get(Root.class);
                assertThat(r).isNotSameAs(previous);
                assertThat(r.shared).isSameAs(c.get(Shared.class)).isSameAs(r.mid.leaf.shared);
                assertThat(r.mid.request).isSameAs(scope.get(PerRequest.class));
                assertThat(r.mid.leaves.get()).isNotSameAs(r.mid.leaf);
                assertThat(r.plugins).hasSize(1).first().isInstanceOf(PluginA.class);
                previous = r;
            }
            assertThat(rootNode.fast).as("compiled after %d calls", Nodes.TIER_UP_CALLS)
                    .isInstanceOf(Nodes.Compiled.class);
            assertThat(impl.node(Root.class)).as("the class table now points at the compiled node")
                    .isSameAs(rootNode.fast);
            assertThat(c.openScope().get(Root.class).mid.request).isNotSameAs(previous.mid.request);
        }
    }

    @Test
    void compiledFactoryReportsConstructorFailuresLikeTheMethodHandlePath() {
        Exploding.explode = false;
        try (Container c = Container.builder().install(b -> b.bind(Exploding.class)).build()) {
            Nodes.CtorNode node = (Nodes.CtorNode) ((ContainerImpl) c).node(Exploding.class);
            for (int i = 0; i < Nodes.TIER_UP_CALLS + 1; i++) {
                c.get(Exploding.class);
            }
            assertThat(node.fast).isNotNull();
            Exploding.explode = true;
            assertThatThrownBy(() -> c.get(Exploding.class)).isInstanceOf(DiException.class)
                    .hasMessage("Creating Exploding failed: java.lang.IllegalStateException: boom");
        } finally {
            Exploding.explode = false;
        }
    }
}
