package io.vela.di.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import io.vela.di.Container;
import io.vela.di.DiException;
import io.vela.di.Key;
import io.vela.di.Scope;
import org.junit.jupiter.api.Test;

/** Many class keys: collisions take the out-of-line probe, and every key is still found from container and scope. */
class ClassTableTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyKeyIsFoundDespiteCollisions() {
        List<Class<?>> classes = new ArrayList<>();
        Class<?> c = String.class;
        for (int i = 0; i < 200; i++) {
            c = java.lang.reflect.Array.newInstance(c, 0).getClass();
            classes.add(c);
        }
        try (Container container = Container.builder().install(b -> {
            for (int i = 0; i < classes.size(); i++) {
                b.bind(Key.of((Class<Object>) classes.get(i))).toInstance("value " + i);
            }
        }).build(); Scope scope = container.openScope()) {
            for (int i = 0; i < classes.size(); i++) {
                assertThat(container.get(classes.get(i))).isEqualTo("value " + i);
                assertThat(scope.get(classes.get(i))).isEqualTo("value " + i);
            }
            assertThatThrownBy(() -> container.get(Integer.class)).isInstanceOf(DiException.class)
                    .hasMessageStartingWith("No binding for Integer");
            assertThatThrownBy(() -> scope.get(Integer.class)).isInstanceOf(DiException.class)
                    .hasMessageStartingWith("No binding for Integer");
        }
    }
}
