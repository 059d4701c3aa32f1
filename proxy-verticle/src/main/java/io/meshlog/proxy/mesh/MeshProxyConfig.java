package io.meshlog.proxy.mesh;

import io.meshlog.proxy.config.ConfigException;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.discovery.DiscoveryConfig;
import io.meshlog.proxy.discovery.HazelcastSettings;
import io.meshlog.proxy.identity.IdentityConfig;
import io.meshlog.proxy.telemetry.KafkaTelemetryConfig;
import io.meshlog.proxy.telemetry.TelemetrySampling;
import io.meshlog.proxy.tracing.TracingConfig;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.Reporter;
import java.util.EnumSet;
import java.util.Set;

/**
 * Everything one control-plane proxy needs besides its listeners' handlers.
 *
 * @param proxy id, workload, labels and listeners; the inbound listener's {@code appPort} is the
 *     local app's port
 * @param service the service this workload serves (its registry entry); required with an inbound
 *     listener, null for a proxy that only calls out
 * @param advertiseHost the address other proxies reach the inbound listener at; null: the
 *     listener's own host (which then must not be a wildcard)
 * @param bootstrapServers Kafka bootstrap servers
 * @param topics the mesh's topic names (a prefix isolates tests)
 * @param hazelcast how to reach Hazelcast when no shared instance is given to {@link MeshProxy}
 * @param discovery registry map, TTL and heartbeat interval
 * @param telemetryQueueSize telemetry events buffered before dropping (and counting)
 * @param telemetryReporters whose telemetry goes to Kafka: the caller side ({@code SOURCE}), the
 *     called side ({@code DESTINATION}) or both (Istio's Telemetry API reporter selection)
 * @param tracing tracing settings, or null for no tracing
 * @param identity the workload identity (mTLS), or null for a plaintext proxy; {@link
 *     MeshProxyProcess} applies it with {@link MeshProxy#withIdentity}
 * @param telemetrySampling which successes are folded into weighted events; null: off (every event sent)
 */
public record MeshProxyConfig(ProxyConfig proxy, String service, String advertiseHost, String bootstrapServers,
        TopicCatalogue topics, HazelcastSettings hazelcast, DiscoveryConfig discovery, int telemetryQueueSize,
        Set<Reporter> telemetryReporters, TracingConfig tracing, IdentitySettings identity,
        TelemetrySampling telemetrySampling) {
    public MeshProxyConfig {
        telemetrySampling = telemetrySampling == null ? TelemetrySampling.OFF : telemetrySampling;
        ConfigException.require(proxy != null, "proxy", "must be set");
        if (proxy.inbound() != null) {
            ConfigException.require(service != null && !service.isBlank(), "service",
                    "must name the service this workload serves (it has an inbound listener), but was " + service);
            var host = advertiseHost != null ? advertiseHost : proxy.inbound().listen().host();
            ConfigException.require(!host.equals("0.0.0.0") && !host.equals("::"), "advertise.host",
                    "must be set when the inbound listener binds the wildcard address " + host);
        }
        ConfigException.require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrap.servers",
                "must name at least one broker, but was " + bootstrapServers);
        topics = topics == null ? TopicCatalogue.standard() : topics;
        hazelcast = hazelcast == null ? HazelcastSettings.embedded(HazelcastSettings.DEFAULT_CLUSTER_NAME) : hazelcast;
        discovery = discovery == null ? DiscoveryConfig.defaults() : discovery;
        ConfigException.require(telemetryQueueSize >= 1, "telemetry.queue.size",
                "must be at least 1, but was " + telemetryQueueSize);
        telemetryReporters = telemetryReporters == null || telemetryReporters.isEmpty()
                ? Set.of(Reporter.SOURCE, Reporter.DESTINATION) : Set.copyOf(EnumSet.copyOf(telemetryReporters));
        if (identity != null) {
            identity.spiffeId(proxy.namespace()); // a bad trust domain or service account fails here, not at start
        }
    }

    /** Without success sampling. */
    public MeshProxyConfig(ProxyConfig proxy, String service, String advertiseHost, String bootstrapServers,
            TopicCatalogue topics, HazelcastSettings hazelcast, DiscoveryConfig discovery, int telemetryQueueSize,
            Set<Reporter> telemetryReporters, TracingConfig tracing, IdentitySettings identity) {
        this(proxy, service, advertiseHost, bootstrapServers, topics, hazelcast, discovery, telemetryQueueSize,
                telemetryReporters, tracing, identity, null);
    }

    /** Without a workload identity (a plaintext proxy, or one given its identity by {@link MeshProxy#withIdentity}). */
    public MeshProxyConfig(ProxyConfig proxy, String service, String advertiseHost, String bootstrapServers,
            TopicCatalogue topics, HazelcastSettings hazelcast, DiscoveryConfig discovery, int telemetryQueueSize,
            Set<Reporter> telemetryReporters, TracingConfig tracing) {
        this(proxy, service, advertiseHost, bootstrapServers, topics, hazelcast, discovery, telemetryQueueSize,
                telemetryReporters, tracing, null, null);
    }

    /** Defaults for Hazelcast (embedded, cluster {@code meshlog}), discovery, telemetry; no tracing. */
    public static MeshProxyConfig of(ProxyConfig proxy, String service, String bootstrapServers, TopicCatalogue topics) {
        return new MeshProxyConfig(proxy, service, null, bootstrapServers, topics, null, null,
                KafkaTelemetryConfig.DEFAULT_QUEUE_CAPACITY, null, null);
    }

    /** The host other proxies reach the inbound listener at. */
    public String registeredHost() {
        return advertiseHost != null ? advertiseHost : proxy.inbound().listen().host();
    }

    /** The local app's port, or 0 without an inbound listener. */
    public int appPort() {
        return proxy.inbound() != null ? proxy.inbound().appPort() : 0;
    }

    /** The same settings with another Hazelcast. */
    public MeshProxyConfig withHazelcast(HazelcastSettings settings, DiscoveryConfig registry) {
        return new MeshProxyConfig(proxy, service, advertiseHost, bootstrapServers, topics, settings, registry,
                telemetryQueueSize, telemetryReporters, tracing, identity, telemetrySampling);
    }

    /** The same settings with another telemetry queue size and reporters. */
    public MeshProxyConfig withTelemetry(int queueSize, Set<Reporter> reporters) {
        return new MeshProxyConfig(proxy, service, advertiseHost, bootstrapServers, topics, hazelcast, discovery,
                queueSize, reporters, tracing, identity, telemetrySampling);
    }

    /** The same settings with tracing (null: off). */
    public MeshProxyConfig withTracing(TracingConfig settings) {
        return new MeshProxyConfig(proxy, service, advertiseHost, bootstrapServers, topics, hazelcast, discovery,
                telemetryQueueSize, telemetryReporters, settings, identity, telemetrySampling);
    }

    /** The same settings with a workload identity (null: none). */
    public MeshProxyConfig withIdentity(IdentitySettings settings) {
        return new MeshProxyConfig(proxy, service, advertiseHost, bootstrapServers, topics, hazelcast, discovery,
                telemetryQueueSize, telemetryReporters, tracing, settings, telemetrySampling);
    }

    /** The same settings with success sampling (null: off). */
    public MeshProxyConfig withTelemetrySampling(TelemetrySampling sampling) {
        return new MeshProxyConfig(proxy, service, advertiseHost, bootstrapServers, topics, hazelcast, discovery,
                telemetryQueueSize, telemetryReporters, tracing, identity, sampling);
    }

    /** The identity to hand to {@link MeshProxy#withIdentity}, or null without {@link #identity()}. */
    public IdentityConfig identityConfig() {
        return identity == null ? null
                : identity.identityConfig(proxy.proxyId(), proxy.namespace(), bootstrapServers, topics);
    }
}
