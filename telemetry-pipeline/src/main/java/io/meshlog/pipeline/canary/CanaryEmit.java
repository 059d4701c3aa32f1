package io.meshlog.pipeline.canary;

import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.PolicyEvent;

/** What the controller writes: a route change for the policy log, or a status (null: tombstone). */
sealed interface CanaryEmit {
    /** A new generation of the controller's VirtualService, keyed {@code VirtualService/ns/name}. */
    record Route(String policyKey, PolicyEvent event) implements CanaryEmit {}

    /** A status of the Canary keyed {@code ns/name}; null status deletes it (the Canary was deleted). */
    record Status(String canaryKey, CanaryStatus status) implements CanaryEmit {}
}
