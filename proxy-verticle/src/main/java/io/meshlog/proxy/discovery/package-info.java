/**
 * Service discovery: which endpoints each service has. The request path reads an {@link
 * io.meshlog.proxy.discovery.EndpointDirectory} (an in-memory lookup, never a remote call). {@link
 * io.meshlog.proxy.discovery.HazelcastEndpointRegistry} keeps it current: it registers this proxy's
 * workload in a Hazelcast map with a TTL renewed by heartbeats, and folds the map's entry events
 * (added, updated, removed, expired, evicted) into an immutable per-service view. {@link
 * io.meshlog.proxy.discovery.HazelcastConfigs} makes the embedded loopback member (tests, dev) or
 * the client (production) from {@link io.meshlog.proxy.discovery.HazelcastSettings}.
 *
 * <p>Threads: Hazelcast's event threads update the view and call {@code onChange} listeners;
 * heartbeats run on {@code meshlog-discovery-heartbeat}; reads happen on event loops.
 */
package io.meshlog.proxy.discovery;
