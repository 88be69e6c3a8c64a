package io.vela.di.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

import io.vela.di.Container;
import io.vela.di.Key;
import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestSuite;
import org.atinject.tck.Tck;
import org.atinject.tck.auto.Car;
import org.atinject.tck.auto.Convertible;
import org.atinject.tck.auto.Drivers;
import org.atinject.tck.auto.DriversSeat;
import org.atinject.tck.auto.Engine;
import org.atinject.tck.auto.Seat;
import org.atinject.tck.auto.Tire;
import org.atinject.tck.auto.V8Engine;
import org.atinject.tck.auto.accessories.SpareTire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The official Jakarta Dependency Injection TCK ({@code jakarta.inject:jakarta.inject-tck}), with static and private
 * member injection on: Vela's container builds the TCK's {@link Car}, and each of the TCK's JUnit 3 tests runs as one
 * JUnit 5 dynamic test named {@code Convertible$Tests.testFieldsInjected} and so on.
 *
 * <p>The TCK injects static members, so the container is built once per JVM (static injection is a one-time act).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JakartaInjectTckTest {
    /** What {@code Tck.testsFor(car, true, true)} holds: 46 general tests, 11 static, 4 private. */
    private static final int TCK_TESTS = 61;
    private static final Duration PER_TEST = Duration.ofSeconds(10);

    private Container container;
    private Car car;

    @BeforeAll
    void buildCar() {
        container = Container.builder().install(binder -> {
            binder.bind(Car.class).to(Convertible.class);
            binder.bind(Key.qualified(Seat.class, Drivers.class)).to(DriversSeat.class);
            binder.bind(Engine.class).to(V8Engine.class);
            binder.bind(Key.named(Tire.class, "spare")).to(SpareTire.class);
            // supertypes' static members (Tire's) are injected first, by SpareTire's request
            binder.requestStaticInjection(Convertible.class, SpareTire.class);
        }).build();
        car = container.get(Car.class);
    }

    @AfterAll
    void close() {
        container.close();
    }

    @TestFactory
    Stream<DynamicTest> tck() {
        List<TestCase> cases = testCases(Tck.testsFor(car, true, true));
        assertThat(cases).hasSize(TCK_TESTS);
        return cases.stream().map(tc -> DynamicTest.dynamicTest(
                shortName(tc) + "." + tc.getName(),
                () -> assertTimeoutPreemptively(PER_TEST, () -> {
                    tc.runBare();
                    return null;
                })));
    }

    @TestFactory
    Stream<DynamicTest> everyTestCaseIsReportedOnce() {
        List<TestCase> cases = testCases(Tck.testsFor(car, true, true));
        List<String> names = new ArrayList<>();
        for (TestCase tc : cases) {
            names.add(shortName(tc) + "." + tc.getName());
        }
        return Stream.of(DynamicTest.dynamicTest("61 distinct names", () -> assertThat(names)
                .doesNotHaveDuplicates().hasSize(TCK_TESTS)
                .contains("Convertible$Tests.testSupertypeMethodsInjectedBeforeSubtypeFields",
                        "Convertible$StaticTests.testSupertypeStaticMethodsInjectedBeforeSubtypeStaticFields",
                        "Convertible$PrivateTests.testSimilarPrivateMethodInjectedOnlyOnce")));
    }

    private static String shortName(TestCase tc) {
        String n = tc.getClass().getName();
        return n.substring(n.lastIndexOf('.') + 1);
    }

    private static List<TestCase> testCases(Test test) {
        List<TestCase> out = new ArrayList<>();
        collect(test, out);
        return out;
    }

    private static void collect(Test test, List<TestCase> out) {
        if (test instanceof TestCase) {
            out.add((TestCase) test);
        } else if (test instanceof TestSuite) {
            for (Enumeration<Test> e = ((TestSuite) test).tests(); e.hasMoreElements(); ) {
                collect(e.nextElement(), out);
            }
        } else {
            throw new AssertionError("unexpected TCK test kind: " + test.getClass());
        }
    }
}
