package io.meshlog.console.model;

import io.meshlog.schemas.v1.HttpRouteDestination;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The weight of each subset of a service in its VirtualService's catch-all route (the route
 * without match conditions: where ordinary traffic goes), as the graph shows it on the line from
 * a service to the workload serving that subset.
 */
final class CanaryWeights {
    private CanaryWeights() {}

    /** Subset → weight in percent for {@code service}; empty when no weighted split applies. */
    static Map<String, Integer> of(ServiceRef service, Collection<PolicyEvent> policies) {
        var out = new HashMap<String, Integer>();
        for (var policy : policies) {
            if (!(policy.getSpec() instanceof VirtualServiceSpec vs)
                    || vs.getHosts().stream().noneMatch(h -> ServiceRef.resolve(h, policy.getNamespace()).equals(service))) {
                continue;
            }
            var catchAll = vs.getHttp().stream().filter(r -> r.getMatch().isEmpty()).findFirst();
            catchAll.ifPresent(route -> {
                if (route.getRoute().size() > 1) {
                    for (HttpRouteDestination d : route.getRoute()) {
                        if (d.getDestination().getSubset() != null && d.getWeight() != null) {
                            out.put(d.getDestination().getSubset(), d.getWeight());
                        }
                    }
                }
            });
        }
        return out;
    }
}
