package io.meshlog.proxy.resilience;

import java.util.Map;

/**
 * A DestinationRule subset: the endpoints whose labels include all of {@code labels}.
 *
 * @param name the subset's name, e.g. {@code v2}
 * @param labels labels an endpoint must carry
 * @param loadBalancer the subset's own balancer, or null to use the service's
 */
public record SubsetPolicy(String name, Map<String, String> labels, LbPolicy loadBalancer) {
    public SubsetPolicy {
        labels = Map.copyOf(labels);
    }

    /** Whether an endpoint with {@code endpointLabels} belongs to this subset. */
    public boolean selects(Map<String, String> endpointLabels) {
        for (var label : labels.entrySet()) {
            if (!label.getValue().equals(endpointLabels.get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
