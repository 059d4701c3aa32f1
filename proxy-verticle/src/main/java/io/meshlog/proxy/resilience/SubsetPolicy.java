package io.meshlog.proxy.resilience;

import java.util.Map;

/**
 * A DestinationRule subset: the endpoints whose labels include all of {@code labels}.
 *
 * @param name the subset's name, e.g. {@code v2}
 * @param labels labels an endpoint must carry
 * @param loadBalancer the subset's own balancer, or null to use the service's
 * @param hashPolicy the subset's own consistent hash, or null (then {@code loadBalancer}, or the service's)
 */
public record SubsetPolicy(String name, Map<String, String> labels, LbPolicy loadBalancer, HashPolicy hashPolicy) {
    public SubsetPolicy {
        labels = Map.copyOf(labels);
    }

    public SubsetPolicy(String name, Map<String, String> labels, LbPolicy loadBalancer) {
        this(name, labels, loadBalancer, null);
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
