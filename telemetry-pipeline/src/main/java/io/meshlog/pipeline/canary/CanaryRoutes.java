package io.meshlog.pipeline.canary;

import io.meshlog.policy.model.PolicyDocument;
import io.meshlog.policy.model.PolicyEvents;
import io.meshlog.policy.model.PolicyKey;
import io.meshlog.schemas.v1.CanarySessionAffinity;
import io.meshlog.schemas.v1.CanarySpec;
import io.meshlog.schemas.v1.Destination;
import io.meshlog.schemas.v1.HttpRoute;
import io.meshlog.schemas.v1.HttpRouteDestination;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.StickyWeights;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The VirtualService the controller owns for one Canary: same namespace and name as the Canary,
 * host = the target service, one route splitting stable/canary by weight, or in A/B mode a first
 * route sending the matching requests to the canary. With {@code analysis.sessionAffinity} the
 * split carries meshlog's {@code stickyWeights} extension (the proxies hash the named header or
 * cookie into monotone buckets). Published like any other change: a
 * PolicyEvent of the next generation, author {@value #AUTHOR}.
 */
final class CanaryRoutes {
    static final String AUTHOR = "canary-controller";
    static final String LABEL = "meshlog.io/canary";

    private CanaryRoutes() {}

    /** The policy key of the route of the Canary {@code namespace/name}. */
    static String routeKey(String namespace, String name) {
        return new PolicyKey(PolicyKind.VirtualService, namespace, name).toString();
    }

    /**
     * The route event.
     *
     * @param canaryWeight percent to the canary subset (100: promoted, 0: rolled back)
     * @param abMatch whether matching requests go to the canary (A/B mode while analysing)
     */
    static PolicyEvent route(String namespace, String name, CanarySpec canary, int canaryWeight, boolean abMatch,
            long generation, Instant time) {
        return route(namespace, name, canary, canaryWeight, abMatch, null, generation, time);
    }

    /** As above; {@code mirrorPercent} non-null mirrors that share of the split route's requests to the canary subset. */
    static PolicyEvent route(String namespace, String name, CanarySpec canary, int canaryWeight, boolean abMatch,
            Integer mirrorPercent, long generation, Instant time) {
        var service = canary.getTargetRef().getName();
        var http = new ArrayList<HttpRoute>();
        if (abMatch) {
            http.add(HttpRoute.newBuilder().setName("canary-match").setMatch(List.copyOf(canary.getAnalysis().getMatch()))
                    .setRoute(List.of(destination(service, canary.getCanary(), null))).build());
        }
        // The canary is the last destination: with sticky weights it owns the top buckets, so a
        // growing weight only adds users to its cohort (StickyBuckets in the proxy).
        var split = HttpRoute.newBuilder().setName("canary-split").setMatch(List.of())
                .setRoute(List.of(destination(service, canary.getStable(), 100 - canaryWeight),
                        destination(service, canary.getCanary(), canaryWeight)))
                .setStickyWeights(sticky(canary.getAnalysis().getSessionAffinity()));
        if (mirrorPercent != null) {
            split.setMirror(Destination.newBuilder().setHost(service).setSubset(canary.getCanary()).build())
                    .setMirrorPercentage(mirrorPercent.doubleValue());
        }
        http.add(split.build());
        var spec = VirtualServiceSpec.newBuilder().setHosts(List.of(service)).setHttp(http).build();
        var doc = new PolicyDocument(PolicyKind.VirtualService, namespace, name, Map.of(LABEL, name), spec, generation);
        return PolicyEvents.event(doc, generation, AUTHOR, time);
    }

    private static StickyWeights sticky(CanarySessionAffinity affinity) {
        return affinity == null ? null
                : StickyWeights.newBuilder().setHeader(affinity.getHeader()).setCookie(affinity.getCookie()).build();
    }

    private static HttpRouteDestination destination(String service, String subset, Integer weight) {
        return HttpRouteDestination.newBuilder()
                .setDestination(Destination.newBuilder().setHost(service).setSubset(subset).build())
                .setWeight(weight).build();
    }
}
