package io.meshlog.proxy.resilience;

import java.util.Map;

/**
 * A DestinationRule subset: the endpoints whose labels include all of {@code labels}.
 *
 * @param name the subset's name, e.g. {@code v2}
 * @param labels labels an endpoint must carry
 * @param traffic the subset's settings: its own trafficPolicy field groups over the rule's
 * @param ownGroups which field groups the subset sets itself (for /config_dump), e.g. {@code [outlierDetection]}
 */
public record SubsetPolicy(String name, Map<String, String> labels, TrafficSettings traffic, java.util.Set<String> ownGroups) {
    public SubsetPolicy {
        labels = Map.copyOf(labels);
        ownGroups = java.util.Set.copyOf(ownGroups);
    }

    /** The subset's consistent hash (its own, or the rule's when it sets no balancer), or null. */
    public HashPolicy hashPolicy() {
        return traffic.hashPolicy();
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
