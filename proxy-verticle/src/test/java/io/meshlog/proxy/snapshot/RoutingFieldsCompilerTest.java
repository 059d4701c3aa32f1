package io.meshlog.proxy.snapshot;

import static io.meshlog.proxy.snapshot.SnapshotCompilerTest.policy;
import static io.meshlog.proxy.snapshot.SnapshotCompilerTest.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.bootstrap.StaticEndpointDirectory;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.ratelimit.GlobalRateLimitSettings;
import io.meshlog.proxy.ratelimit.GlobalRateLimits;
import io.meshlog.proxy.ratelimit.InMemoryGlobalRateCounter;
import io.meshlog.proxy.ratelimit.RateLimiters;
import io.meshlog.proxy.resilience.HashPolicy;
import io.meshlog.proxy.resilience.LbPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Istio's routing fields compiled into the snapshot the request path reads. */
class RoutingFieldsCompilerTest {
    private final StaticEndpointDirectory directory = new StaticEndpointDirectory(List.of(
            new Endpoint("reviews", "127.0.0.1", 9001, Map.of("version", "v1"), "reviews-v1", "", 9080)));

    private MeshSnapshot compile(Map<String, String> workloadLabels, String... yaml) throws Exception {
        var limits = new GlobalRateLimits(new InMemoryGlobalRateCounter(Clock.systemUTC(), Duration.ofSeconds(1)),
                "proxy-1", GlobalRateLimitSettings.DEFAULT, Clock.systemUTC());
        var events = new io.meshlog.schemas.v1.PolicyEvent[yaml.length];
        for (int i = 0; i < yaml.length; i++) {
            events[i] = policy(yaml[i]);
        }
        return new SnapshotCompiler("default", workloadLabels, new RateLimiters(Clock.systemUTC(), limits))
                .compile(state(events), directory);
    }

    private static final String ROUTES = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
                - name: from-productpage
                  match: [{sourceLabels: {app: productpage}, queryParams: {v: {exact: "2"}}}]
                  headers: {request: {set: {x-from: productpage}}}
                  rewrite: {uri: /v2/, authority: reviews-v2}
                  route: [{destination: {host: reviews, port: {number: 9080}}, headers: {response: {add: {x-d: "1"}}}}]
                - name: moved
                  match: [{uri: {exact: /old}}]
                  redirect: {uri: /new, redirectCode: 308}
            """;

    @Test
    void aMirrorIsCompiledWithItsPercentageAndIstiosDefaultOf100() throws Exception {
        var yaml = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                    - name: half
                      match: [{uri: {prefix: /half}}]
                      route: [{destination: {host: reviews, subset: v1}}]
                      mirror: {host: reviews, subset: v2, port: {number: 9080}}
                      mirrorPercentage: {value: 50}
                    - name: all
                      route: [{destination: {host: reviews}}]
                      mirror: {host: reviews-next}
                """;

        var routes = compile(Map.of("app", "productpage"), yaml).routesFor("reviews").routes();

        assertThat(routes.get(0).mirror()).isEqualTo(new io.meshlog.proxy.route.MirrorPolicy("reviews", "v2", 9080, 50));
        assertThat(routes.get(1).mirror()).isEqualTo(new io.meshlog.proxy.route.MirrorPolicy("reviews-next", null, 0, 100));
        assertThat(routes.get(1).mirror().samples(99.9)).isTrue();
        assertThat(routes.get(0).mirror().samples(50.0)).isFalse();
    }

    @Test
    void sourceLabelsHoldOnlyInTheSidecarOfAMatchingWorkload() throws Exception {
        var productpage = compile(Map.of("app", "productpage", "version", "v1"), ROUTES).routesFor("reviews").routes().get(0);
        var ratings = compile(Map.of("app", "ratings"), ROUTES).routesFor("reviews").routes().get(0);

        assertThat(productpage.matches().get(0).sourceSelected()).isTrue();
        assertThat(ratings.matches().get(0).sourceSelected()).isFalse();
        assertThat(productpage.matches().get(0).queryParams()).containsKey("v");
        var otherNamespace = compile(Map.of("app", "productpage"), ROUTES.replace("sourceLabels: {app: productpage}",
                "sourceLabels: {app: productpage}, sourceNamespace: shop")).routesFor("reviews").routes().get(0);
        assertThat(otherNamespace.matches().get(0).sourceSelected()).as("this sidecar is in default, not shop").isFalse();
    }

    @Test
    void headersRewriteRedirectAndDestinationPortAreCompiled() throws Exception {
        var routes = compile(Map.of(), ROUTES).routesFor("reviews").routes();
        var first = routes.get(0);
        assertThat(first.headers().request().set()).containsEntry("x-from", "productpage");
        assertThat(first.rewrite().uri()).isEqualTo("/v2/");
        assertThat(first.rewrite().authority()).isEqualTo("reviews-v2");
        assertThat(first.destinations().get(0).port()).isEqualTo(9080);
        assertThat(first.destinations().get(0).headers().response().add()).containsEntry("x-d", "1");
        var moved = routes.get(1);
        assertThat(moved.destinations()).isEmpty();
        assertThat(moved.redirect().code()).isEqualTo(308);
    }

    @Test
    void aRedirectWithARouteFromTheTopicIsRejectedWithItsPath() throws Exception {
        var snapshot = compile(Map.of(), ROUTES.replace("redirect: {uri: /new, redirectCode: 308}",
                "redirect: {uri: /new}\n      route: [{destination: {host: reviews}}]"));
        assertThat(snapshot.routesFor("reviews")).isNull();
        assertThat(snapshot.rejected()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("spec.http[1].redirect").contains("together with route"));
    }

    @Test
    void consistentHashBecomesARingHashAtServiceAndSubsetLevel() throws Exception {
        var snapshot = compile(Map.of(), """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  trafficPolicy:
                    loadBalancer: {consistentHash: {httpCookie: {name: session, path: /, ttl: 1h}, ringHash: {minimumRingSize: 256}}}
                  subsets:
                    - {name: v1, labels: {version: v1}, trafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true}}}}
                    - {name: v2, labels: {version: v2}, trafficPolicy: {loadBalancer: {simple: RANDOM}}}
                """);
        var policy = snapshot.clusterPolicy("reviews");
        assertThat(policy.hashPolicy()).isEqualTo(new HashPolicy(HashPolicy.Key.COOKIE, "session", "/", Duration.ofHours(1), 256));
        assertThat(policy.subsets().get("v1").hashPolicy().key()).isEqualTo(HashPolicy.Key.SOURCE_IP);
        var cluster = new io.meshlog.proxy.resilience.Cluster("reviews", directory.endpoints("reviews"));
        assertThat(cluster.candidates(null, policy).loadBalancer()).isEqualTo(LbPolicy.RING_HASH);
        assertThat(cluster.candidates("v2", policy).loadBalancer()).isEqualTo(LbPolicy.RANDOM);
        assertThat(cluster.candidates("v1", 9080, policy).endpoints()).hasSize(1);
        assertThat(cluster.candidates("v1", 9081, policy).endpoints()).isEmpty();
    }
}
