/**
 * What: the proxy's control-plane ("mesh") mode. {@link io.meshlog.proxy.mesh.MeshProxy} assembles
 * one proxy from a {@link io.meshlog.proxy.mesh.MeshProxyConfig}: the Hazelcast endpoint registry
 * (watching the mesh, and registering this workload's inbound listener), the policy consumer
 * feeding the config snapshot, a ConfigAck after every applied snapshot, the Kafka telemetry sink,
 * the decisions consumer (cluster-wide ejections and retry budgets), the tracer and the listeners.
 * {@link io.meshlog.proxy.mesh.MeshProxyConfigLoader} reads the settings from a properties file
 * and {@code MESHLOG_PROXY_*} variables; {@link io.meshlog.proxy.mesh.MeshProxyProcess} runs one
 * proxy as a process ({@code ProxyMain --mesh}).
 *
 * <p>Flow of start: Hazelcast and the background adapters (on a Vert.x worker thread, they block)
 * (with a workload identity from {@link io.meshlog.proxy.mesh.IdentitySettings}: the certificate
 * requested from cert-service) → listeners deployed → this workload registered at its inbound
 * listener's actual port (with its SPIFFE id) → ready once the policy topic has been replayed and
 * the certificate applied ({@code /ready} follows). Close runs the same steps backwards.
 *
 * <p>Thread: start and close run on worker or caller threads, never block an event loop; several
 * proxies may share one {@code Vertx} and one {@code HazelcastInstance}.
 */
package io.meshlog.proxy.mesh;
