/**
 * The REST API (Vert.x Web) under {@code /apis/meshlog.io/v1}: {@link
 * io.meshlog.policy.api.PolicyApiVerticle} wires routes; {@link
 * io.meshlog.policy.api.PolicyHandlers} handles policies (parse → validate → {@link
 * io.meshlog.policy.publish.PolicyWriter} → answer after Kafka acknowledged and the view read
 * it back); {@link io.meshlog.policy.api.BearerAuth} checks tokens; {@link
 * io.meshlog.policy.api.ApiErrors} builds the one error shape. Handlers run on the event loop;
 * writes run on the writer thread and come back to the event loop through futures.
 */
package io.meshlog.policy.api;
