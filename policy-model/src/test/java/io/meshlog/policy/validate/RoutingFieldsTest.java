package io.meshlog.policy.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Istio's routing fields (headers, rewrite, redirect, richer matches, consistentHash) bound and checked. */
class RoutingFieldsTest {
    private static final String VIRTUAL_SERVICE = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - name: api
                match:
                - uri: {prefix: /api/}
                  queryParams: {debug: {exact: "1"}, user: {regex: "u[0-9]+"}}
                  authority: {prefix: reviews}
                  port: 9080
                  sourceLabels: {app: productpage}
                  sourceNamespace: shop
                  withoutHeaders: {x-skip: {present: true}}
                headers:
                  request: {set: {x-route: api}, add: {x-trace: a}, remove: [x-internal]}
                  response: {set: {cache-control: no-store}}
                rewrite: {uri: /v2/, authority: reviews-v2}
                route:
                - destination: {host: reviews, port: {number: 9080}}
                  headers: {request: {set: {x-dest: one}}}
              - name: moved
                match: [{uri: {exact: /old}}]
                redirect: {uri: /new, authority: reviews:9080, scheme: https, port: 8443}
              - name: regex
                rewrite: {uriRegexRewrite: {match: "^/items/([0-9]+)$", rewrite: "/item?id=\\\\1"}}
                route: [{destination: {host: reviews}}]
            """;

    @Test
    void istioRoutingFieldsAreBoundWithoutFindings() {
        var parsed = new DocumentParser(YamlLimits.DEFAULT).parse(VIRTUAL_SERVICE, "default").get(0);
        assertThat(findings(VIRTUAL_SERVICE)).isEmpty();
        var spec = (VirtualServiceSpec) parsed.document().spec();
        var api = spec.getHttp().get(0);
        var match = api.getMatch().get(0);
        assertThat(match.getQueryParams().get("debug").getExact()).isEqualTo("1");
        assertThat(match.getAuthority().getPrefix()).isEqualTo("reviews");
        assertThat(match.getPort()).isEqualTo(9080);
        assertThat(match.getSourceLabels()).containsEntry("app", "productpage");
        assertThat(match.getSourceNamespace()).isEqualTo("shop");
        assertThat(match.getWithoutHeaders().get("x-skip").getPresent()).isTrue();
        assertThat(api.getHeaders().getRequest().getSet()).containsEntry("x-route", "api");
        assertThat(api.getHeaders().getRequest().getRemove()).containsExactly("x-internal");
        assertThat(api.getHeaders().getResponse().getSet()).containsEntry("cache-control", "no-store");
        assertThat(api.getRewrite().getUri()).isEqualTo("/v2/");
        assertThat(api.getRoute().get(0).getDestination().getPort()).isEqualTo(9080);
        assertThat(api.getRoute().get(0).getHeaders().getRequest().getSet()).containsEntry("x-dest", "one");
        var moved = spec.getHttp().get(1).getRedirect();
        assertThat(moved.getRedirectCode()).isEqualTo(301);
        assertThat(moved.getPort()).isEqualTo(8443);
        assertThat(spec.getHttp().get(2).getRewrite().getUriRegexRewrite().getRewrite()).isEqualTo("/item?id=\\1");
    }

    @Test
    void aRedirectWithARouteIsRefusedWithThePath() {
        var yaml = VIRTUAL_SERVICE.replace("redirect: {uri: /new, authority: reviews:9080, scheme: https, port: 8443}",
                "redirect: {uri: /new, redirectCode: 302}\n    route: [{destination: {host: reviews}}]");
        assertThat(findings(yaml)).singleElement().satisfies(v -> {
            assertThat(v.isError()).isTrue();
            assertThat(v.path()).isEqualTo("spec.http[1].redirect");
            assertThat(v.message()).contains("cannot be used together with route");
        });
    }

    @Test
    void badRedirectCodeInvalidRewriteRegexAndProtectedHeadersAreErrors() {
        var yaml = VIRTUAL_SERVICE.replace("scheme: https, port: 8443}", "scheme: https, port: 8443, redirectCode: 200}")
                .replace("\"^/items/([0-9]+)$\"", "\"^/items/([0-9+$\"")
                .replace("add: {x-trace: a}", "add: {host: evil}");
        assertThat(findings(yaml)).filteredOn(Violation::isError).extracting(Violation::path).containsExactlyInAnyOrder(
                "spec.http[1].redirect.redirectCode", "spec.http[2].rewrite.uriRegexRewrite.match",
                "spec.http[0].headers.request.add.host");
    }

    @Test
    void aPrefixRewriteAfterARegexMatchAndBothRewriteFormsAreErrors() {
        var yaml = VIRTUAL_SERVICE.replace("uri: {prefix: /api/}", "uri: {regex: \"/api/.*\"}")
                .replace("rewrite: {uriRegexRewrite:", "rewrite: {uri: /x, uriRegexRewrite:");
        assertThat(findings(yaml)).filteredOn(Violation::isError).extracting(Violation::path)
                .containsExactlyInAnyOrder("spec.http[0].rewrite.uri", "spec.http[2].rewrite.uriRegexRewrite");
    }

    private static final String RING = """
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer:
                  consistentHash:
                    httpCookie: {name: session, path: /, ttl: 0s}
                    ringHash: {minimumRingSize: 2048}
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user, minimumRingSize: 64}}}
            """;

    @Test
    void consistentHashIsReadFromIstiosLoadBalancerOneof() {
        assertThat(findings(RING)).isEmpty();
        var spec = (DestinationRuleSpec) new DocumentParser(YamlLimits.DEFAULT).parse(RING, "default").get(0).document().spec();
        var hash = spec.getTrafficPolicy().getConsistentHash();
        assertThat(spec.getTrafficPolicy().getLoadBalancer()).isNull();
        assertThat(hash.getHttpCookie().getName()).isEqualTo("session");
        assertThat(hash.getHttpCookie().getTtl()).isZero();
        assertThat(hash.getMinimumRingSize()).isEqualTo(2048);
        var subsetHash = spec.getSubsets().get(0).getTrafficPolicy().getConsistentHash();
        assertThat(subsetHash.getHttpHeaderName()).isEqualTo("x-user");
        assertThat(subsetHash.getMinimumRingSize()).isEqualTo(64);
    }

    @Test
    void simpleWithConsistentHashAndTwoHashKeysAreErrors() {
        var yaml = RING.replace("    loadBalancer:\n      consistentHash:\n        httpCookie: {name: session, path: /, ttl: 0s}",
                "    loadBalancer:\n      simple: RANDOM\n      consistentHash:\n        useSourceIp: true\n        httpCookie: {name: session}");
        assertThat(findings(yaml)).filteredOn(Violation::isError).extracting(Violation::path).containsExactlyInAnyOrder(
                "spec.trafficPolicy.loadBalancer", "spec.trafficPolicy.loadBalancer.consistentHash");
    }

    @Test
    void envoyVariablesInHeaderValuesAreWarnedAsSentLiterally() {
        var yaml = VIRTUAL_SERVICE.replace("set: {x-route: api}", "set: {x-route: api, x-client: \"%DOWNSTREAM_REMOTE_ADDRESS%\"}");
        assertThat(findings(yaml)).singleElement().satisfies(v -> {
            assertThat(v.isError()).isFalse();
            assertThat(v.path()).isEqualTo("spec.http[0].headers.request.set.x-client");
            assertThat(v.code()).isEqualTo("ML0209");
        });
    }

    @Test
    void maglevIsAcceptedWithAWarningCode() {
        var yaml = RING.replace("ringHash: {minimumRingSize: 2048}", "maglev: {tableSize: 65537}");
        assertThat(findings(yaml)).singleElement().satisfies(v -> {
            assertThat(v.isError()).isFalse();
            assertThat(v.path()).isEqualTo("spec.trafficPolicy.loadBalancer.consistentHash.maglev");
            assertThat(v.code()).isEqualTo("ML0205");
        });
    }

    @Test
    void theCanonicalRenderingReadsBackToTheSameSpec() {
        for (var yaml : List.of(VIRTUAL_SERVICE, RING)) {
            var parser = new DocumentParser(YamlLimits.DEFAULT);
            var doc = parser.parse(yaml, "default").get(0).document();
            var rendered = new org.snakeyaml.engine.v2.api.Dump(org.snakeyaml.engine.v2.api.DumpSettings.builder().build())
                    .dumpToString(io.meshlog.policy.model.DocumentRenderer.document(doc, java.util.Map.of()));
            var again = parser.parse(rendered, "default").get(0);
            assertThat(again.violations()).as(rendered).isEmpty();
            assertThat(again.document().spec()).as(rendered).isEqualTo(doc.spec());
        }
    }

    private static final String MIRRORED = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: orders}
            spec:
              hosts: [orders]
              http:
              - route: [{destination: {host: orders, subset: v1}}]
                mirror: {host: orders, subset: v2, port: {number: 8080}}
                mirrorPercentage: {value: 25.5}
            """;

    @Test
    void istioMirrorFieldsAreBoundWithoutFindings() {
        var spec = (VirtualServiceSpec) new DocumentParser(YamlLimits.DEFAULT).parse(MIRRORED, "default").get(0)
                .document().spec();

        assertThat(findings(MIRRORED)).isEmpty();
        var route = spec.getHttp().get(0);
        assertThat(route.getMirror().getHost()).isEqualTo("orders");
        assertThat(route.getMirror().getSubset()).isEqualTo("v2");
        assertThat(route.getMirror().getPort()).isEqualTo(8080);
        assertThat(route.getMirrorPercentage()).isEqualTo(25.5);
    }

    @Test
    void aMirrorPercentageAbove100IsRefusedWithThePath() {
        assertThat(findings(MIRRORED.replace("25.5", "120"))).singleElement().satisfies(v -> {
            assertThat(v.isError()).isTrue();
            assertThat(v.path()).isEqualTo("spec.http[0].mirrorPercentage.value");
        });
    }

    @Test
    void aMirrorPercentageWithoutAMirrorIsRefused() {
        assertThat(findings(MIRRORED.replace("    mirror: {host: orders, subset: v2, port: {number: 8080}}\n", "")))
                .singleElement().satisfies(v -> assertThat(v.path()).isEqualTo("spec.http[0].mirrorPercentage"));
    }

    @Test
    void theDeprecatedMirrorPercentIsRefused() {
        assertThat(findings(MIRRORED.replace("mirrorPercentage: {value: 25.5}", "mirror_percent: 25")))
                .anySatisfy(v -> assertThat(v.isError()).isTrue());
    }

    private static List<Violation> findings(String yaml) {
        var parsed = new DocumentParser(YamlLimits.DEFAULT).parse(yaml, "default").get(0);
        var all = new ArrayList<>(parsed.violations());
        if (parsed.document() != null) {
            all.addAll(SpecValidator.validate(parsed.document(), parsed::lineOf, ValidationContext.NONE));
        }
        return all;
    }
}
