package io.meshlog.proxy.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.model.PolicyEvents;
import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.proxy.bootstrap.StaticEndpointDirectory;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.proxy.ratelimit.GlobalLimitSpec;
import io.meshlog.proxy.ratelimit.GlobalRateLimitSettings;
import io.meshlog.proxy.ratelimit.GlobalRateLimiter;
import io.meshlog.proxy.ratelimit.GlobalRateLimits;
import io.meshlog.proxy.ratelimit.InMemoryGlobalRateCounter;
import io.meshlog.proxy.ratelimit.RateLimiters;
import io.meshlog.proxy.ratelimit.TokenBucket;
import io.meshlog.proxy.resilience.LbPolicy;
import io.meshlog.proxy.resilience.OutlierSettings;
import io.meshlog.proxy.resilience.PoolLimits;
import io.meshlog.proxy.resilience.RetryOn;
import io.meshlog.schemas.v1.PolicyEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotCompilerTest {
    private final GlobalRateLimits globalLimits = new GlobalRateLimits(
            new InMemoryGlobalRateCounter(Clock.systemUTC(), Duration.ofSeconds(1)), "proxy-1",
            GlobalRateLimitSettings.DEFAULT, Clock.systemUTC());
    private final StaticEndpointDirectory directory = new StaticEndpointDirectory(List.of(
            new Endpoint("reviews", "127.0.0.1", 9001, Map.of("version", "v1"), "reviews-v1", "")));
    private final SnapshotCompiler compiler = new SnapshotCompiler("default", Map.of("app", "reviews"),
            new RateLimiters(Clock.systemUTC(), globalLimits));

    /** Bound by the shared parser but not validated: the compiler must refuse bad events from the topic on its own. */
    static PolicyEvent policy(String yaml) throws Exception {
        var parsed = new DocumentParser(YamlLimits.DEFAULT).parse(yaml, "default").get(0);
        assertThat(parsed.violations()).isEmpty();
        var generation = parsed.document().generation() == null ? 1L : parsed.document().generation();
        return PolicyEvents.event(parsed.document(), generation, "test", Instant.EPOCH);
    }

    static PolicyState state(PolicyEvent... events) {
        var map = new HashMap<String, PolicyEvent>();
        for (var event : events) {
            map.put(PolicyState.keyOf(event), event);
        }
        return new PolicyState(map, 7);
    }

    static final String VIRTUAL_SERVICE = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, generation: 3}
            spec:
              hosts: [reviews]
              http:
                - name: canary
                  match: [{headers: {x-canary-user: {exact: "true"}}}]
                  route: [{destination: {host: reviews, subset: v2}}]
                - name: split
                  timeout: 2s
                  retries: {attempts: 3, perTryTimeout: 500ms, retryOn: ["5xx,reset", "429"]}
                  route:
                    - {destination: {host: reviews, subset: v1}, weight: 90}
                    - {destination: {host: reviews, subset: v2}, weight: 10}
            """;

    @Test
    void compilesRoutesClustersLimitsAndGenerations() throws Exception {
        // Given
        var destinationRule = policy("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, generation: 2}
                spec:
                  host: reviews
                  trafficPolicy:
                    loadBalancer: {simple: LEAST_REQUEST}
                    connectionPool: {tcp: {maxConnections: 4}, http: {http1MaxPendingRequests: 2}}
                    outlierDetection: {consecutive5xxErrors: 3, baseEjectionTime: 1s}
                  subsets:
                    - {name: v1, labels: {version: v1}}
                    - {name: v2, labels: {version: v2}, trafficPolicy: {loadBalancer: {simple: RANDOM}}}
                """);
        var rateLimit = policy("""
                apiVersion: meshlog.io/v1
                kind: RateLimitPolicy
                metadata: {name: reviews-limit}
                spec:
                  selector: {matchLabels: {app: reviews}}
                  tokenBucket: {maxTokens: 10, tokensPerFill: 10, fillInterval: 1s}
                """);
        // When
        var snapshot = compiler.compile(state(policy(VIRTUAL_SERVICE), destinationRule, rateLimit), directory);
        // Then
        assertThat(snapshot.rejected()).isEmpty();
        assertThat(snapshot.version()).isEqualTo(7);
        assertThat(snapshot.generations()).containsEntry("VirtualService/default/reviews", 3L)
                .containsEntry("DestinationRule/default/reviews", 2L).containsEntry("RateLimitPolicy/default/reviews-limit", 1L);
        var routes = snapshot.routesFor("reviews").routes();
        assertThat(routes).extracting(r -> r.name()).containsExactly("canary", "split");
        var split = routes.get(1);
        assertThat(split.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(split.retry().attempts()).isEqualTo(3);
        assertThat(split.retry().perTryTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(split.retry().retryOn()).contains(RetryOn.FIVE_XX, RetryOn.RESET, RetryOn.RETRIABLE_STATUS_CODES);
        assertThat(split.retry().retriableStatusCodes()).containsExactly(429);
        assertThat(split.destinations()).extracting(d -> d.weight()).containsExactly(90, 10);
        var cluster = snapshot.clusterPolicy("reviews");
        assertThat(cluster.loadBalancer()).isEqualTo(LbPolicy.LEAST_REQUEST);
        assertThat(cluster.pool().maxConnections()).isEqualTo(4);
        assertThat(cluster.pool().http1MaxPendingRequests()).isEqualTo(2);
        assertThat(cluster.outlier().consecutive5xxErrors()).isEqualTo(3);
        assertThat(cluster.outlier().baseEjectionTime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(cluster.subsets().get("v2").traffic().loadBalancer()).isEqualTo(LbPolicy.RANDOM);
        assertThat(snapshot.listenerLimits()).hasSize(1);
        assertThat(snapshot.endpoints().get("reviews")).hasSize(1);
    }

    @Test
    void subsetTrafficPolicyReplacesTheRulesFieldGroupsItSetsAndKeepsTheOthers() throws Exception {
        // Given
        var destinationRule = policy("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  trafficPolicy:
                    loadBalancer: {simple: LEAST_REQUEST}
                    connectionPool: {tcp: {maxConnections: 4}, http: {http1MaxPendingRequests: 2}}
                    outlierDetection: {consecutive5xxErrors: 3}
                  subsets:
                    - {name: v1, labels: {version: v1}}
                    - name: v2
                      labels: {version: v2}
                      trafficPolicy:
                        connectionPool: {http: {http2MaxRequests: 7}}
                        outlierDetection: {consecutiveGatewayErrors: 2}
                """);
        // When
        var cluster = compiler.compile(state(destinationRule), directory).clusterPolicy("reviews");
        // Then
        var v1 = cluster.subsets().get("v1").traffic();
        assertThat(v1).isEqualTo(cluster.traffic());
        var v2 = cluster.subsets().get("v2").traffic();
        assertThat(v2.loadBalancer()).isEqualTo(LbPolicy.LEAST_REQUEST);
        // the whole group is replaced, as Istio does: maxConnections is not inherited from the rule
        assertThat(v2.pool().http2MaxRequests()).isEqualTo(7);
        assertThat(v2.pool().maxConnections()).isEqualTo(PoolLimits.DEFAULT_LIMIT);
        assertThat(v2.pool().http1MaxPendingRequests()).isEqualTo(PoolLimits.DEFAULT_LIMIT);
        assertThat(v2.outlier().consecutiveGatewayErrors()).isEqualTo(2);
        assertThat(v2.outlier().consecutive5xxErrors()).isEqualTo(OutlierSettings.DEFAULT_CONSECUTIVE_5XX);
        assertThat(cluster.subsets().get("v2").ownGroups()).containsExactlyInAnyOrder("connectionPool", "outlierDetection");
    }

    @Test
    void outlierDetectionIsOffWithoutAnOutlierDetectionBlock() throws Exception {
        // Given
        var destinationRule = policy("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  trafficPolicy: {loadBalancer: {simple: RANDOM}}
                  subsets:
                    - {name: v2, labels: {version: v2}, trafficPolicy: {outlierDetection: {consecutive5xxErrors: 2}}}
                """);
        // When
        var snapshot = compiler.compile(state(destinationRule), directory);
        // Then
        assertThat(snapshot.clusterPolicy("reviews").outlier().enabled()).isFalse();
        assertThat(snapshot.clusterPolicy("reviews").subsets().get("v2").traffic().outlier().enabled()).isTrue();
        assertThat(snapshot.clusterPolicy("ratings").outlier().enabled()).isFalse();
    }

    static final String MESH_WIDE = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: mesh-default, namespace: meshlog-system}
            spec:
              host: "*.local"
              trafficPolicy:
                outlierDetection: {consecutive5xxErrors: 4, baseEjectionTime: 2s}
            """;

    @Test
    void aMeshWideRuleInTheRootNamespaceAppliesToServicesWithoutOneOfTheirOwn() throws Exception {
        // Given
        var own = policy("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  trafficPolicy: {loadBalancer: {simple: RANDOM}}
                """);
        // When
        var snapshot = compiler.compile(state(policy(MESH_WIDE), own), directory);
        // Then
        assertThat(snapshot.rejected()).isEmpty();
        var ratings = snapshot.clusterPolicy("ratings");
        assertThat(ratings.source()).isEqualTo("DestinationRule/meshlog-system/mesh-default");
        assertThat(ratings.outlier().consecutive5xxErrors()).isEqualTo(4);
        // the service's own rule wins whole, as in Istio: no outlier detection from the mesh-wide rule
        var reviews = snapshot.clusterPolicy("reviews");
        assertThat(reviews.source()).isEqualTo("DestinationRule/default/reviews");
        assertThat(reviews.outlier().enabled()).isFalse();
    }

    @Test
    void aMeshWideHostOutsideTheRootNamespaceIsRejectedWithTheReason() throws Exception {
        // Given
        var elsewhere = policy(MESH_WIDE.replace("namespace: meshlog-system", "namespace: shop"));
        var narrowWildcard = policy(MESH_WIDE.replace("\"*.local\"", "\"*.shop.svc.cluster.local\"")
                .replace("mesh-default", "shop-wide"));
        // When
        var snapshot = compiler.compile(state(elsewhere, narrowWildcard), directory);
        // Then
        assertThat(snapshot.meshWide()).isNull();
        assertThat(snapshot.rejected()).extracting(r -> r.key()).containsExactlyInAnyOrder(
                "DestinationRule/shop/mesh-default", "DestinationRule/meshlog-system/shop-wide");
        assertThat(snapshot.rejected()).extracting(r -> r.reason()).anySatisfy(reason ->
                assertThat(reason).contains("only from the mesh root namespace 'meshlog-system'"));
        assertThat(snapshot.clusterPolicy("ratings").outlier().enabled()).isFalse();
    }

    @Test
    void theRootNamespaceIsConfigurable() throws Exception {
        var custom = new SnapshotCompiler("default", "mesh-root", Map.of(), new RateLimiters(Clock.systemUTC(), globalLimits));
        var snapshot = custom.compile(state(policy(MESH_WIDE.replace("meshlog-system", "mesh-root"))), directory);
        assertThat(snapshot.rejected()).isEmpty();
        assertThat(snapshot.clusterPolicy("ratings").outlier().consecutive5xxErrors()).isEqualTo(4);
    }

    @Test
    void rejectsWeightsThatDoNotAddUpTo100AndKeepsTheRest() throws Exception {
        var bad = policy("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: broken, generation: 4}
                spec:
                  hosts: [ratings]
                  http:
                    - route:
                        - {destination: {host: ratings, subset: v1}, weight: 60}
                        - {destination: {host: ratings, subset: v2}, weight: 30}
                """);
        var snapshot = compiler.compile(state(bad, policy(VIRTUAL_SERVICE)), directory);
        assertThat(snapshot.rejected()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("VirtualService/default/broken");
            assertThat(r.generation()).isEqualTo(4);
            assertThat(r.reason()).isEqualTo("spec.http[0].route: weights must add up to 100, but add up to 90");
        });
        assertThat(snapshot.routesFor("ratings")).isNull();
        assertThat(snapshot.routesFor("reviews")).isNotNull();
        assertThat(snapshot.generations()).doesNotContainKey("VirtualService/default/broken");
    }

    @Test
    void rejectsABadRegexWithItsPath() throws Exception {
        var bad = policy("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: regex}
                spec:
                  hosts: [ratings]
                  http:
                    - match: [{uri: {regex: "/items/(["}}]
                      route: [{destination: {host: ratings}}]
                """);
        var snapshot = compiler.compile(state(bad), directory);
        assertThat(snapshot.rejected()).singleElement()
                .satisfies(r -> assertThat(r.reason()).startsWith("spec.http[0].match[0].uri.regex: is not a valid regular expression"));
    }

    @Test
    void rejectsASecondVirtualServiceForTheSameHost() throws Exception {
        var other = policy(VIRTUAL_SERVICE.replace("name: reviews", "name: reviews-2"));
        var snapshot = compiler.compile(state(policy(VIRTUAL_SERVICE), other), directory);
        assertThat(snapshot.rejected()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("VirtualService/default/reviews-2");
            assertThat(r.reason()).contains("already routed by VirtualService/default/reviews");
        });
    }

    @Test
    void rejectsUnknownRetryConditions() throws Exception {
        var bad = policy("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: retry}
                spec:
                  hosts: [ratings]
                  http:
                    - retries: {attempts: 2, retryOn: [5xx, sometimes]}
                      route: [{destination: {host: ratings}}]
                """);
        var snapshot = compiler.compile(state(bad), directory);
        assertThat(snapshot.rejected()).singleElement()
                .satisfies(r -> assertThat(r.reason()).startsWith("spec.http[0].retries.retryOn: 'sometimes' is not a status code"));
    }

    @Test
    void ignoresRateLimitsSelectingOtherWorkloadsAndSplitsRouteLimits() throws Exception {
        var other = policy("""
                apiVersion: meshlog.io/v1
                kind: RateLimitPolicy
                metadata: {name: other}
                spec:
                  selector: {matchLabels: {app: payments}}
                  tokenBucket: {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s}
                """);
        var perRoute = policy("""
                apiVersion: meshlog.io/v1
                kind: RateLimitPolicy
                metadata: {name: per-route}
                spec:
                  routes: [split]
                  shadow: true
                  tokenBucket: {maxTokens: 5, tokensPerFill: 5, fillInterval: 1s}
                """);
        var snapshot = compiler.compile(state(other, perRoute), directory);
        assertThat(snapshot.listenerLimits()).isEmpty();
        assertThat(snapshot.routeLimits().get("split")).singleElement()
                .satisfies(rule -> assertThat(((TokenBucket) rule.bucket()).spec().shadow()).isTrue());
    }

    @Test
    void compilesAGlobalLimitIntoAShareOfItKeptAcrossSnapshotsAndDroppedWithItsPolicy() throws Exception {
        var global = policy("""
                apiVersion: meshlog.io/v1
                kind: RateLimitPolicy
                metadata: {name: global}
                spec:
                  global: {requestsPerUnit: 600, unit: MINUTE, failureMode: FAIL_CLOSED}
                """);
        var first = compiler.compile(state(global), directory);
        var limiter = (GlobalRateLimiter) first.listenerLimits().get(0).bucket();
        assertThat(limiter.spec()).isEqualTo(new GlobalLimitSpec(600, Duration.ofMinutes(1),
                GlobalLimitSpec.FailureMode.FAIL_CLOSED, false));
        assertThat(limiter.spec().perSecond()).isEqualTo(10.0);

        assertThat(compiler.compile(state(global), directory).listenerLimits().get(0).bucket()).isSameAs(limiter);
        compiler.compile(state(), directory);
        assertThat(globalLimits.all()).isEmpty();
        globalLimits.close();
    }

    @Test
    void keepsPoliciesOfOtherKindsByGeneration() throws Exception {
        var authz = policy("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-all, generation: 9}
                spec: {action: DENY}
                """);
        var snapshot = compiler.compile(state(authz), directory);
        assertThat(snapshot.generations()).containsEntry("AuthorizationPolicy/default/deny-all", 9L);
    }

    @Test
    void aSelectorLessRateLimitAppliesInItsOwnNamespaceOnly() throws Exception {
        var here = policy("""
                apiVersion: meshlog.io/v1
                kind: RateLimitPolicy
                metadata: {name: all-here, namespace: default}
                spec:
                  tokenBucket: {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s}
                """);
        var elsewhere = policy("""
                apiVersion: meshlog.io/v1
                kind: RateLimitPolicy
                metadata: {name: all-there, namespace: shop}
                spec:
                  tokenBucket: {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s}
                """);

        var snapshot = compiler.compile(state(here, elsewhere), directory);

        assertThat(snapshot.listenerLimits()).extracting(RateLimitRule::source)
                .containsExactly("RateLimitPolicy/default/all-here");
    }
}
