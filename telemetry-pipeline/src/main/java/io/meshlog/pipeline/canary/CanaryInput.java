package io.meshlog.pipeline.canary;

import io.meshlog.pipeline.policy.ServicePolicies;
import io.meshlog.schemas.v1.RequestTelemetry;

/** What the controller reads for one service: its policies when they change, or one request. */
sealed interface CanaryInput {
    /** The service's policies changed (a Canary or the controller's route among them). */
    record Policies(ServicePolicies policies) implements CanaryInput {}

    /** One SOURCE report of a request to the service. */
    record Request(RequestTelemetry telemetry) implements CanaryInput {}
}
