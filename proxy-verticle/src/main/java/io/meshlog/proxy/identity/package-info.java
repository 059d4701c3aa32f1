/**
 * The proxy's workload identity and mutual TLS.
 *
 * <p>Flow: {@link io.meshlog.proxy.identity.WorkloadIdentity} makes a key pair in memory, sends a
 * CSR ({@link io.meshlog.proxy.identity.CsrBuilder}) with a join-token proof
 * ({@link io.meshlog.proxy.identity.JoinTokenProof}) to cert-service over Kafka, and hands each new
 * {@link io.meshlog.proxy.identity.KeyCertMaterial} (key, chain, trust anchors, revoked serials)
 * to listeners, which hot-swap their Vert.x TLS options with
 * {@link io.meshlog.proxy.identity.MeshTls}. On a connection,
 * {@link io.meshlog.proxy.identity.PeerIdentity} reads the peer's SPIFFE id;
 * {@link io.meshlog.proxy.identity.PeerAuthenticationResolver} says whether a port is STRICT,
 * PERMISSIVE or DISABLE.
 *
 * <p>Threads: WorkloadIdentity runs a Kafka consumer thread and a scheduler thread (listeners run
 * there); MeshTls, PeerIdentity and PeerAuthenticationResolver are pure and run on any thread,
 * typically the event loop.
 */
package io.meshlog.proxy.identity;
