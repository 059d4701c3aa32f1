package io.meshlog.pipeline.canary;

import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.CanaryWebhook;

/**
 * Calls one webhook of a Canary with its state. Called on a stream thread inside the task's
 * transaction, so every implementation is bounded by the hook's timeout (at most {@link
 * io.meshlog.policy.model.CanarySteps#MAX_WEBHOOK_TIMEOUT_MILLIS}).
 */
interface CanaryWebhooks {
    /**
     * One call's outcome.
     *
     * @param accepted whether the hook answered 2xx
     * @param detail what it answered, for the status message ("HTTP 503", "timed out after 2000 ms")
     */
    record Result(boolean accepted, String detail) {}

    Result call(CanaryWebhook hook, CanaryStatus state);
}
