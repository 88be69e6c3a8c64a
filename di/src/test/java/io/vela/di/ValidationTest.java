package io.vela.di;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

class ValidationTest {

    interface PaymentGateway {
    }

    static final class StripePaymentGateway implements PaymentGateway {
    }

    static final class OrderService {
        @Inject
        OrderService(PaymentGateway gateway) {
        }
    }

    static final class OrderController {
        @Inject
        OrderController(OrderService service) {
        }
    }

    private static List<String> errors(Module... modules) {
        ContainerValidationException e = catchThrowableOfType(ContainerValidationException.class,
                () -> Container.builder().install(modules).build());
        assertThat(e).as("build must fail").isNotNull();
        return e.errors();
    }

    @Test
    void missingBindingNamesTheWholeChainAndSuggestsNearMatches() {
        List<String> errors = errors(b -> {
            b.bind(OrderController.class);
            b.bind(StripePaymentGateway.class);
            b.bind(Key.named(PaymentGateway.class, "legacy")).to(StripePaymentGateway.class);
        });
        assertThat(errors).containsExactly("Missing binding for PaymentGateway: PaymentGateway ← OrderService"
                + " ← OrderController (constructor parameter 0 of OrderService). Did you mean:"
                + " @Named(\"legacy\") PaymentGateway, StripePaymentGateway (a subtype)?");
    }

    static final class PaymentGatways {
    }

    @Test
    void missingBindingSuggestsSimilarNames() {
        List<String> errors = errors(b -> {
            b.bind(OrderService.class);
            b.bind(PaymentGatways.class);
        });
        assertThat(errors).containsExactly("Missing binding for PaymentGateway: PaymentGateway ← OrderService"
                + " (constructor parameter 0 of OrderService). Did you mean: PaymentGatways?");
    }

    static final class A {
        @Inject
        A(B b) {
        }
    }

    static final class B {
        @Inject
        B(C c) {
        }
    }

    static final class C {
        @Inject
        C(A a) {
        }
    }

    @Test
    void cyclePrintsItsFullPath() {
        assertThat(errors(b -> b.bind(A.class))).containsExactly(
                "Dependency cycle: A → B → C → A. Break it by injecting a Provider<...> on one of these edges");
    }

    static final class LazyC {
        final Provider<LazyA> a;

        @Inject
        LazyC(Provider<LazyA> a) {
            this.a = a;
        }
    }

    @Singleton
    static final class LazyA {
        final LazyC c;

        @Inject
        LazyA(LazyC c) {
            this.c = c;
        }
    }

    @Test
    void cycleBrokenByAProviderIsAccepted() {
        try (Container c = Container.builder().install(b -> b.bind(LazyA.class)).build()) {
            LazyA a = c.get(LazyA.class);
            assertThat(a.c.a.get()).isSameAs(a);
        }
    }

    static final class CallsProviderInConstructor {
        @Inject
        CallsProviderInConstructor(Provider<Eager> eager) {
            eager.get();
        }
    }

    @Singleton
    static final class Eager {
        @Inject
        Eager(CallsProviderInConstructor c) {
        }
    }

    @Test
    void providerCycleClosedInsideAConstructorFailsInsteadOfLooping() {
        try (Container c = Container.builder().install(b -> b.bind(Eager.class)).build()) {
            assertThatThrownBy(() -> c.get(Eager.class)).isInstanceOf(DiException.class)
                    .hasMessage("Singleton Eager was requested while it is being created: a cycle broken by a Provider"
                            + " is being closed inside a constructor; call the Provider later");
        }
    }

    @Scoped
    static final class RequestContext {
    }

    static final class Auditor {
        @Inject
        Auditor(RequestContext ctx) {
        }
    }

    @Singleton
    static final class OrderCache {
        @Inject
        OrderCache(Auditor auditor) {
        }
    }

    @Singleton
    static final class ProviderCache {
        @Inject
        ProviderCache(Provider<RequestContext> ctx) {
        }
    }

    @Test
    void captiveDependencyIsRejectedDirectlyTransitivelyAndThroughProviders() {
        assertThat(errors(b -> {
            b.bind(OrderCache.class);
            b.bind(ProviderCache.class);
        })).containsExactly(
                "Captive dependency: singleton OrderCache depends on scoped RequestContext (OrderCache → Auditor →"
                        + " RequestContext); a singleton outlives every scope. Make OrderCache scoped, or resolve"
                        + " RequestContext from the Scope where it is used",
                "Captive dependency: singleton ProviderCache depends on scoped RequestContext through a Provider"
                        + " (ProviderCache → RequestContext); a singleton outlives every scope. Make ProviderCache"
                        + " scoped, or resolve RequestContext from the Scope where it is used");
    }

    static final class TwoConstructors {
        @Inject
        TwoConstructors() {
        }

        @Inject
        TwoConstructors(A a) {
        }
    }

    static final class TwoQualifiers {
        @Inject
        TwoQualifiers(@Named("a") @ValidationTest.Fast PaymentGateway g) {
        }
    }

    @jakarta.inject.Qualifier
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @interface Fast {
    }

    interface Notifier {
    }

    static final class Mail implements Notifier {
    }

    static final class Sms implements Notifier {
    }

    static final class MailModule implements Module {
        @Override
        public void configure(Binder binder) {
            binder.bind(Notifier.class).to(Mail.class);
        }
    }

    static final class SmsModule implements Module {
        @Override
        public void configure(Binder binder) {
            binder.bind(Notifier.class).to(Sms.class);
        }
    }

    @Test
    void ambiguousBindingsAreRejected() {
        assertThat(errors(new MailModule(), new SmsModule(), b -> {
            b.bind(TwoConstructors.class);
            b.bind(TwoQualifiers.class);
        })).containsExactly(
                "Ambiguous binding for Notifier: bound 2 times (in MailModule: to Mail; in SmsModule: to Sms);"
                        + " keep one, or tell them apart with a qualifier",
                "Ambiguous constructor: TwoConstructors has 2 @Inject constructors; annotate exactly one",
                "Ambiguous qualifiers on constructor parameter 0 of TwoQualifiers: @Named and @Fast; use one");
    }

    static final class NoConstructor {
        NoConstructor(String s) {
        }
    }

    @Test
    void allErrorsAreReportedTogetherInOneMessage() {
        ContainerValidationException e = catchThrowableOfType(ContainerValidationException.class,
                () -> Container.builder().install(b -> {
                    b.bind(OrderController.class);
                    b.bind(A.class);
                    b.bind(NoConstructor.class);
                    b.bind(Key.named(Notifier.class, "none"));
                    b.bind(Notifier.class).to(Mail.class).in(Lifetime.SCOPED).asEagerSingleton().toInstance(new Sms());
                }).build());
        assertThat(e.errors()).hasSize(5);
        assertThat(e).hasMessage("5 errors building the container:\n"
                + "1) Binding for Notifier (in ValidationTest (lambda module)) has 2 targets: to Mail, an instance of"
                + " Sms; keep one\n"
                + "2) NoConstructor has no @Inject constructor and no non-private no-arg constructor\n"
                + "3) Binding for @Named(\"none\") Notifier (in ValidationTest (lambda module)) has no target:"
                + " call to(), toInstance() or toProvider()\n"
                + "4) Missing binding for PaymentGateway: PaymentGateway ← OrderService ← OrderController"
                + " (constructor parameter 0 of OrderService)\n"
                + "5) Dependency cycle: A → B → C → A. Break it by injecting a Provider<...> on one of these edges");
    }
}
