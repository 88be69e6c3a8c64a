package io.vela.di;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

/** Runs the example of docs/di.md, unchanged apart from the assertions. */
class DocExampleTest {

    // --- from docs/di.md -------------------------------------------------------------------------------------
    interface PaymentGateway {
        String charge(long cents);
    }

    static final class StripeGateway implements PaymentGateway {
        private final String apiKey;

        @Inject
        StripeGateway(@Named("stripe.key") String apiKey) {
            this.apiKey = apiKey;
        }

        @Override
        public String charge(long cents) {
            return "charged " + cents + " with " + apiKey;
        }
    }

    @Singleton
    static final class OrderRepository implements AutoCloseable {
        @Override
        public void close() {
            // release connections
        }
    }

    @Scoped
    static final class RequestContext {
        final String requestId = "req-1";

        @PreDestroy
        void end() {
            // flush per-request state
        }
    }

    interface Middleware {
        String name();
    }

    static final class AuthMiddleware implements Middleware {
        @Override
        public String name() {
            return "auth";
        }
    }

    static final class LoggingMiddleware implements Middleware {
        @Override
        public String name() {
            return "logging";
        }
    }

    static final class OrderService {
        final PaymentGateway payments;
        final OrderRepository orders;
        final RequestContext request;
        final List<Middleware> middleware;
        final ExecutorService executor;

        @Inject
        OrderService(PaymentGateway payments, OrderRepository orders, RequestContext request,
                     List<Middleware> middleware, ExecutorService executor) {
            this.payments = payments;
            this.orders = orders;
            this.request = request;
            this.middleware = middleware;
            this.executor = executor;
        }
    }

    static final class AppModule implements Module {
        @Override
        public void configure(Binder binder) {
            binder.bind(PaymentGateway.class).to(StripeGateway.class).in(Lifetime.SINGLETON);
            binder.bind(Key.named(String.class, "stripe.key")).toInstance("sk_test_123");
            binder.multibind(Middleware.class).add(AuthMiddleware.class).add(LoggingMiddleware.class);
            binder.bind(OrderService.class);
        }
    }

    @Test
    void theGuideExampleRuns() {
        ExecutorService executor = Executors.newSingleThreadExecutor(); // e.g. runtime.executor()
        try (Container container = Container.builder()
                .install(new AppModule())
                .install(binder -> binder.bindInstance(ExecutorService.class, executor))
                .build()) {
            try (Scope request = container.openScope()) {
                OrderService service = request.get(OrderService.class);
                String receipt = service.payments.charge(4_200);
                // --- end of the docs/di.md example -----------------------------------------------------------
                assertThat(receipt).isEqualTo("charged 4200 with sk_test_123");
                assertThat(service.request.requestId).isEqualTo("req-1");
                assertThat(service.request).isSameAs(request.get(RequestContext.class));
                assertThat(service.orders).isSameAs(container.get(OrderRepository.class));
                assertThat(service.middleware).extracting(Middleware::name).containsExactly("auth", "logging");
                assertThat(service.executor).isSameAs(executor);
            }
        } finally {
            executor.shutdown();
        }
    }
}
