/**
 * AuthorizationPolicy for inbound requests, with Istio's semantics.
 *
 * <p>Flow: the inbound listener builds {@link io.meshlog.proxy.authz.RequestAttributes} (source
 * from the verified peer certificate, never from headers), calls
 * {@link io.meshlog.proxy.authz.AuthorizationEvaluator#evaluate} with the current policy snapshot,
 * passes the result through {@link io.meshlog.proxy.authz.AuthorizationAudit#record} (metrics,
 * dry-run logs) and, when denied, answers {@code 403 RBAC: access denied} with flag {@code UAEX}.
 *
 * <p>Threads: everything here is pure or thread-safe and runs on the event loop of the request.
 */
package io.meshlog.proxy.authz;
