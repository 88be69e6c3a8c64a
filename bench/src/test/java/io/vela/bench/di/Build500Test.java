package io.vela.bench.di;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.bench.di.gen.Build500;
import io.vela.bench.di.gen.Build500Component;
import io.vela.di.Container;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The build-time generated 500-binding graph compiles with Dagger's processor and every subject builds it. */
class Build500Test {

    @Test
    void theGeneratedGraphHas500NodesAndDaggerExposesEachOfThem() {
        assertThat(Build500.CLASSES).hasSize(500).doesNotHaveDuplicates();
        long accessors = Arrays.stream(Build500Component.class.getMethods())
                .filter(m -> m.getParameterCount() == 0 && m.getName().matches("g\\d+")).count();
        assertThat(accessors).isEqualTo(500);
    }

    @Test
    void everySubjectBuildsTheDeepestNode() throws Exception {
        Build500Benchmark b = new Build500Benchmark();
        Class<?> last = Build500.CLASSES.get(499);
        Build500Component dagger = (Build500Component) b.dagger();
        Method g499 = Build500Component.class.getMethod("g499");
        assertThat(g499.invoke(dagger)).isInstanceOf(last);

        @SuppressWarnings("unchecked")
        Map<Class<?>, Supplier<?>> handwired = (Map<Class<?>, Supplier<?>>) b.handwired();
        assertThat(handwired).hasSize(500);
        assertThat(handwired.get(last).get()).isInstanceOf(last);

        assertThat(((Container) b.vela()).get(last)).isInstanceOf(last);
        assertThat(((com.google.inject.Injector) b.guice()).getInstance(last)).isInstanceOf(last);
    }
}
