/**
 * What: resilience on the request path: endpoint picking (round robin, least request P2C,
 * random; ejected endpoints skipped; panic mode), retries ({@link
 * io.meshlog.proxy.resilience.RetryExecutor} with Envoy back-off and a local {@link
 * io.meshlog.proxy.resilience.RetryBudget}), circuit-breaker limits, and outlier ejection with a
 * local side ({@link io.meshlog.proxy.resilience.LocalOutlierDetector}) and a cluster-wide side
 * ({@link io.meshlog.proxy.resilience.ClusterEjections}) merged in {@link
 * io.meshlog.proxy.resilience.EjectionView}.
 *
 * <p>Flow: per try the outbound exchange asks {@link io.meshlog.proxy.resilience.Cluster} for the
 * candidates of its subset (with the subset's merged {@link
 * io.meshlog.proxy.resilience.TrafficSettings} and its own breaker), the {@link
 * io.meshlog.proxy.resilience.EndpointPicker} for one endpoint, the subset's {@link
 * io.meshlog.proxy.resilience.CircuitBreaker} for room, then reports the result to the outlier
 * detector when the destination has outlier detection on; the retry executor decides whether
 * another try follows.
 *
 * <p>Thread: event loops (state is atomic or guarded, so several loops may share a cluster);
 * endpoint updates arrive on the directory's background thread. Everything timed takes a Clock.
 */
package io.meshlog.proxy.resilience;
