package io.meshlog.proxy.authz;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs authorization outcomes: every denial ({@value #DENIED}, tag {@code policy}) and
 * every request a dry-run policy would have denied ({@value #DRY_RUN_DENIED}, tag {@code policy}),
 * logged at INFO so an operator can judge a policy before enforcing it, and every request an AUDIT
 * policy's rules match ({@value #AUDITED}, tag {@code policy}), logged at INFO. Logs carry the source
 * principal, method and the deciding policy, never headers. Thread-safe.
 */
public final class AuthorizationAudit {
    static final String DENIED = "meshlog.proxy.authz.denied";
    static final String DRY_RUN_DENIED = "meshlog.proxy.authz.dryrun.denied";
    static final String AUDITED = "meshlog.proxy.authz.audited";

    private static final Logger LOGGER = LoggerFactory.getLogger(AuthorizationAudit.class);
    private static final String NO_POLICY = "none";

    private final MeterRegistry registry;

    public AuthorizationAudit(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records {@code decision} for {@code request} and returns it unchanged. */
    public AuthorizationDecision record(AuthorizationDecision decision, RequestAttributes request) {
        if (!decision.allowed()) {
            var policy = decision.policy().orElse(NO_POLICY);
            counter(DENIED, "Requests denied by AuthorizationPolicy", policy).increment();
            LOGGER.atDebug().addKeyValue("policyName", policy)
                    .addKeyValue("source", request.sourcePrincipal())
                    .addKeyValue("method", request.method())
                    .addKeyValue("reason", decision.reason())
                    .log("request denied");
        }
        for (var policy : decision.dryRunDenials()) {
            counter(DRY_RUN_DENIED, "Requests a dry-run AuthorizationPolicy would have denied", policy)
                    .increment();
            LOGGER.atInfo().addKeyValue("policyName", policy)
                    .addKeyValue("source", request.sourcePrincipal())
                    .addKeyValue("method", request.method())
                    .addKeyValue("port", request.port())
                    .log("dry-run policy would deny this request");
        }
        for (var policy : decision.audited()) {
            counter(AUDITED, "Requests matched by an AUDIT AuthorizationPolicy (never denied by it)", policy).increment();
            LOGGER.atInfo().addKeyValue("policyName", policy)
                    .addKeyValue("source", request.sourcePrincipal())
                    .addKeyValue("method", request.method())
                    .addKeyValue("port", request.port())
                    .addKeyValue("allowed", decision.allowed())
                    .log("AUDIT policy matched this request");
        }
        return decision;
    }

    private Counter counter(String name, String description, String policy) {
        return Counter.builder(name).description(description).tag("policy", policy).register(registry);
    }
}
