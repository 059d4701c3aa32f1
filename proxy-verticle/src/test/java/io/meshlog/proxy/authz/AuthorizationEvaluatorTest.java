package io.meshlog.proxy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.meshlog.schemas.v1.AuthorizationAction;
import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.AuthorizationRule;
import io.meshlog.schemas.v1.Condition;
import io.meshlog.schemas.v1.Operation;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.Source;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizationEvaluatorTest {
    private static final Map<String, String> ORDER_LABELS = Map.of("app", "order-service", "version", "v1");

    private final AuthorizationEvaluator evaluator = new AuthorizationEvaluator("meshlog-system");

    /** The seed example: order-service accepts only the api-gateway and inventory service accounts. */
    private final PolicyEvent orderServiceAllow = policy("default", "order-service-callers",
            spec(AuthorizationAction.ALLOW, false, Map.of("app", "order-service"), List.of(
                    rule(List.of(source(List.of("cluster.local/ns/default/sa/api-gateway",
                            "spiffe://cluster.local/ns/default/sa/inventory"))), List.of(), List.of()))));

    @Test
    void orderServiceAcceptsApiGatewayAndInventoryInBothPrincipalForms() {
        var policies = List.of(orderServiceAllow);

        var gateway = evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/api-gateway"), policies);
        var inventory = evaluator.evaluate(request("cluster.local/ns/default/sa/inventory"), policies);

        assertThat(gateway.allowed()).isTrue();
        assertThat(gateway.policy()).contains("default/order-service-callers");
        assertThat(inventory.allowed()).isTrue();
    }

    @Test
    void orderServiceDeniesAnyOtherIdentityAndPlaintextByDefault() {
        var policies = List.of(orderServiceAllow);

        var other = evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/reporting"), policies);
        var plaintext = evaluator.evaluate(request(""), policies);

        assertThat(other.allowed()).isFalse();
        assertThat(other.policy()).isEmpty();
        assertThat(other.reason()).contains("deny by default");
        assertThat(plaintext.allowed()).isFalse();
        assertThat(AuthorizationDecision.DENIED_BODY).isEqualTo("RBAC: access denied");
    }

    @Test
    void allowPolicyForAnotherWorkloadDoesNotApply() {
        var reporting = policy("default", "reporting-only", spec(AuthorizationAction.ALLOW, false,
                Map.of("app", "reporting"), List.of(rule(List.of(source(List.of("*"))), List.of(), List.of()))));

        var decision = evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/anyone"), List.of(reporting));

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.reason()).isEqualTo("no ALLOW policy applies");
    }

    @Test
    void noPolicyAllows() {
        assertThat(evaluator.evaluate(request("spiffe://cluster.local/ns/x/sa/y"), List.of()).allowed()).isTrue();
    }

    @Test
    void allowPolicyWithoutRulesDeniesEverything() {
        var empty = policy("default", "lockdown", spec(AuthorizationAction.ALLOW, false, null, null));

        var decision = evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/api-gateway"), List.of(empty));

        assertThat(decision.allowed()).isFalse();
    }

    @Test
    void denyIsEvaluatedBeforeAllow() {
        var denyDelete = policy("default", "no-deletes", spec(AuthorizationAction.DENY, false, null, List.of(
                rule(List.of(), List.of(operation(List.of("DELETE"), List.of(), List.of())), List.of()))));
        var policies = List.of(orderServiceAllow, denyDelete);

        var delete = evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/api-gateway", "DELETE",
                "/orders/1", Map.of()), policies);
        var get = evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/api-gateway"), policies);

        assertThat(delete.allowed()).isFalse();
        assertThat(delete.policy()).contains("default/no-deletes");
        assertThat(get.allowed()).isTrue();
    }

    @Test
    void meshWideDenyInTheRootNamespaceAppliesToEveryNamespace() {
        var meshDeny = policy("meshlog-system", "deny-legacy", spec(AuthorizationAction.DENY, false, null,
                List.of(rule(List.of(new Source(List.of(), List.of(), List.of("legacy"), List.of())),
                        List.of(), List.of()))));
        var otherNamespaceDeny = policy("shop", "shop-only", spec(AuthorizationAction.DENY, false, null,
                List.of(rule(List.of(), List.of(), List.of()))));

        var fromLegacy = new RequestAttributes("spiffe://cluster.local/ns/legacy/sa/old", "legacy", "default",
                ORDER_LABELS, "order-service", "GET", "/orders", 8080, Map.of());
        var decision = evaluator.evaluate(fromLegacy, List.of(meshDeny, otherNamespaceDeny));
        var fromDefault = evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/x"),
                List.of(meshDeny, otherNamespaceDeny));

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.policy()).contains("meshlog-system/deny-legacy");
        assertThat(fromDefault.allowed()).as("a DENY with one empty rule in another namespace does not apply").isTrue();
    }

    @Test
    void operationsMatchPrefixSuffixMethodsPortsAndNotPaths() {
        var allow = policy("default", "reads", spec(AuthorizationAction.ALLOW, false, null, List.of(rule(List.of(),
                List.of(new Operation(List.of("order-*"), List.of(), List.of("8080"), List.of(),
                        List.of("GET"), List.of(), List.of("/orders*", "*.json"), List.of("/orders/admin*"))),
                List.of()))));
        var policies = List.of(allow);

        assertThat(evaluator.evaluate(request("", "GET", "/orders/7", Map.of()), policies).allowed()).isTrue();
        assertThat(evaluator.evaluate(request("", "GET", "/status.json", Map.of()), policies).allowed()).isTrue();
        assertThat(evaluator.evaluate(request("", "GET", "/orders/admin/x", Map.of()), policies).allowed()).isFalse();
        assertThat(evaluator.evaluate(request("", "POST", "/orders/7", Map.of()), policies).allowed()).isFalse();
        assertThat(evaluator.evaluate(request("", "GET", "/other", Map.of()), policies).allowed()).isFalse();
    }

    @Test
    void whenConditionsMatchRequestHeadersCaseInsensitively() {
        var allow = policy("default", "canary", spec(AuthorizationAction.ALLOW, false, null, List.of(rule(
                List.of(), List.of(), List.of(new Condition("request.headers[X-Canary]", List.of("yes"), List.of()))))));

        var withHeader = evaluator.evaluate(request("", "GET", "/", Map.of("x-canary", List.of("yes"))), List.of(allow));
        var without = evaluator.evaluate(request("", "GET", "/", Map.of()), List.of(allow));

        assertThat(withHeader.allowed()).isTrue();
        assertThat(without.allowed()).isFalse();
    }

    @Test
    void notPrincipalsAndNotNamespacesExclude() {
        var allow = policy("default", "all-but", spec(AuthorizationAction.ALLOW, false, null, List.of(rule(
                List.of(new Source(List.of("*"), List.of("*/sa/intruder"), List.of(), List.of("quarantine"))),
                List.of(), List.of()))));

        var ok = new RequestAttributes("spiffe://cluster.local/ns/default/sa/api", "default", "default",
                ORDER_LABELS, "order-service", "GET", "/", 8080, Map.of());
        var intruder = new RequestAttributes("spiffe://cluster.local/ns/default/sa/intruder", "default", "default",
                ORDER_LABELS, "order-service", "GET", "/", 8080, Map.of());
        var quarantined = new RequestAttributes("spiffe://cluster.local/ns/quarantine/sa/api", "quarantine",
                "default", ORDER_LABELS, "order-service", "GET", "/", 8080, Map.of());

        assertThat(evaluator.evaluate(ok, List.of(allow)).allowed()).isTrue();
        assertThat(evaluator.evaluate(intruder, List.of(allow)).allowed()).isFalse();
        assertThat(evaluator.evaluate(quarantined, List.of(allow)).allowed()).isFalse();
    }

    @Test
    void dryRunPolicyCountsWhatItWouldDenyWithoutDenying() {
        var dryRunAllow = policy("default", "order-callers-trial", spec(AuthorizationAction.ALLOW, true,
                Map.of("app", "order-service"), List.of(rule(List.of(source(
                        List.of("cluster.local/ns/default/sa/api-gateway"))), List.of(), List.of()))));
        var dryRunDeny = policy("default", "no-posts-trial", spec(AuthorizationAction.DENY, true, null,
                List.of(rule(List.of(), List.of(operation(List.of("POST"), List.of(), List.of())), List.of()))));
        var policies = List.of(dryRunAllow, dryRunDeny);
        var registry = new SimpleMeterRegistry();
        var audit = new AuthorizationAudit(registry);

        var other = audit.record(evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/reporting",
                "POST", "/orders", Map.of()), policies), request(""));
        var gateway = audit.record(evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/api-gateway"),
                policies), request(""));

        assertThat(other.allowed()).isTrue();
        assertThat(other.dryRunDenials()).containsExactlyInAnyOrder("default/order-callers-trial", "default/no-posts-trial");
        assertThat(gateway.allowed()).isTrue();
        assertThat(gateway.dryRunDenials()).isEmpty();
        assertThat(registry.get(AuthorizationAudit.DRY_RUN_DENIED).tag("policy", "default/order-callers-trial")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.find(AuthorizationAudit.DENIED).counters()).isEmpty();
    }

    @Test
    void auditPolicyCountsMatchingRequestsAndNeverDenies() {
        var auditPosts = policy("default", "audit-posts", spec(AuthorizationAction.AUDIT, false, null,
                List.of(rule(List.of(), List.of(operation(List.of("POST"), List.of(), List.of())), List.of()))));
        var policies = List.of(orderServiceAllow, auditPosts);
        var registry = new SimpleMeterRegistry();
        var audit = new AuthorizationAudit(registry);

        var allowedPost = audit.record(evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/api-gateway",
                "POST", "/orders", Map.of()), policies), request(""));
        var deniedPost = audit.record(evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/reporting",
                "POST", "/orders", Map.of()), policies), request(""));
        var get = audit.record(evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/api-gateway"),
                policies), request(""));

        assertThat(allowedPost.allowed()).isTrue();
        assertThat(allowedPost.audited()).containsExactly("default/audit-posts");
        assertThat(deniedPost.allowed()).as("AUDIT does not change the ALLOW policy's decision").isFalse();
        assertThat(deniedPost.audited()).containsExactly("default/audit-posts");
        assertThat(get.audited()).isEmpty();
        assertThat(registry.get(AuthorizationAudit.AUDITED).tag("policy", "default/audit-posts")
                .counter().count()).isEqualTo(2.0);
    }

    @Test
    void anAuditPolicyAloneAllowsEverything() {
        var auditAll = policy("default", "audit-all", spec(AuthorizationAction.AUDIT, false, null,
                List.of(rule(List.of(), List.of(operation(List.of("POST"), List.of(), List.of())), List.of()))));

        var post = evaluator.evaluate(request("", "POST", "/orders", Map.of()), List.of(auditAll));

        assertThat(post.allowed()).isTrue();
        assertThat(post.audited()).containsExactly("default/audit-all");
    }

    @Test
    void deniedRequestsAreCountedByPolicy() {
        var registry = new SimpleMeterRegistry();
        var audit = new AuthorizationAudit(registry);

        audit.record(evaluator.evaluate(request("spiffe://cluster.local/ns/default/sa/reporting"),
                List.of(orderServiceAllow)), request(""));

        assertThat(registry.get(AuthorizationAudit.DENIED).tag("policy", "none").counter().count()).isEqualTo(1.0);
    }

    private static RequestAttributes request(String principal) {
        return request(principal, "GET", "/orders", Map.of());
    }

    private static RequestAttributes request(String principal, String method, String path,
            Map<String, List<String>> headers) {
        var namespace = principal.contains("/ns/") ? principal.replaceAll(".*/ns/([^/]+)/.*", "$1") : "";
        return new RequestAttributes(principal, namespace, "default", ORDER_LABELS, "order-service.default",
                method, path, 8080, headers);
    }

    private static PolicyEvent policy(String namespace, String name, AuthorizationPolicySpec spec) {
        return PolicyEvent.newBuilder().setKind(PolicyKind.AuthorizationPolicy).setNamespace(namespace)
                .setName(name).setGeneration(1).setAuthor("test").setTime(Instant.EPOCH).setSpec(spec).build();
    }

    private static AuthorizationPolicySpec spec(AuthorizationAction action, boolean dryRun,
            Map<String, String> selector, List<AuthorizationRule> rules) {
        return AuthorizationPolicySpec.newBuilder().setAction(action).setDryRun(dryRun)
                .setSelector(selector == null ? null : new WorkloadSelector(selector))
                .setRules(rules).build();
    }

    private static AuthorizationRule rule(List<Source> from, List<Operation> to, List<Condition> when) {
        return new AuthorizationRule(from, to, when);
    }

    private static Source source(List<String> principals) {
        return new Source(principals, List.of(), List.of(), List.of());
    }

    private static Operation operation(List<String> methods, List<String> paths, List<String> notPaths) {
        return new Operation(List.of(), List.of(), List.of(), List.of(), methods, List.of(), paths, notPaths);
    }
}
