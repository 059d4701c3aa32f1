/**
 * What: the admin port: readiness, Prometheus metrics, the current config snapshot with every
 * policy's generation, and the live state of every cluster and endpoint.
 *
 * <p>Flow: {@link io.meshlog.proxy.admin.AdminHandler} reads the snapshot holder, the cluster
 * registry, the ejection view and the telemetry sink; it changes nothing.
 *
 * <p>Thread: the proxy verticle's event loop; rendering is cheap and never blocks.
 */
package io.meshlog.proxy.admin;
