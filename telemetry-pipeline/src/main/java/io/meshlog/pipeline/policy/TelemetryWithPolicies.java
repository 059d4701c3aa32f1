package io.meshlog.pipeline.policy;

import io.meshlog.schemas.v1.RequestTelemetry;

/**
 * One telemetry event with the policies of its destination service at the time it was processed.
 *
 * @param telemetry the event
 * @param policies the service's policies, {@link ServicePolicies#empty()} when it has none
 */
public record TelemetryWithPolicies(RequestTelemetry telemetry, ServicePolicies policies) {
    public TelemetryWithPolicies {
        policies = policies == null ? ServicePolicies.empty() : policies;
    }
}
