package io.meshlog.policy.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The API's own meters: requests by route and status, validation failures by kind. */
public final class ApiMetrics {
    static final String REQUESTS = "meshlog.policy.requests";
    static final String VALIDATION_FAILURES = "meshlog.policy.validation.failures";

    private final MeterRegistry registry;

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(String method, String route, int status) {
        Counter.builder(REQUESTS).description("REST requests answered")
                .tags("method", method, "route", route, "status", String.valueOf(status))
                .register(registry).increment();
    }

    void validationFailure(String kind) {
        Counter.builder(VALIDATION_FAILURES).description("Documents refused by validation, by kind")
                .tag("kind", kind).register(registry).increment();
    }
}
