package io.meshlog.it.scale;

import com.hazelcast.core.HazelcastInstance;
import io.meshlog.policy.model.MeshScope;
import io.meshlog.proxy.discovery.DiscoveryConfig;
import io.meshlog.proxy.discovery.HazelcastEndpointRegistry;
import io.meshlog.proxy.policy.ConfigAckConfig;
import io.meshlog.proxy.policy.ConfigAckPublisher;
import io.meshlog.proxy.policy.PolicyConsumerConfig;
import io.meshlog.proxy.policy.PolicyLogConsumer;
import io.meshlog.proxy.policy.PolicyRejection;
import io.meshlog.proxy.policy.PolicyScope;
import io.meshlog.proxy.ratelimit.GlobalRateLimitSettings;
import io.meshlog.proxy.ratelimit.GlobalRateLimits;
import io.meshlog.proxy.ratelimit.InMemoryGlobalRateCounter;
import io.meshlog.proxy.ratelimit.RateLimiters;
import io.meshlog.proxy.snapshot.SnapshotCompiler;
import io.meshlog.proxy.snapshot.SnapshotHolder;
import io.meshlog.proxy.snapshot.SnapshotUpdater;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The real policy plane and registry view of one proxy, without its HTTP listeners, as {@code
 * MeshProxy} wires them: its own policy-log consumer (scoped by the Sidecar that applies to it),
 * its own registry listener (scoped the same way), the snapshot compiler and the ConfigAck
 * publisher. Only the Hazelcast client connection is shared by the planes of one JVM.
 */
final class ScalePlanes {
    /** Label on a bench registration: the wall-clock millis when it was written. */
    static final String WRITTEN_AT = "written-at";

    private ScalePlanes() {}

    /** One started plane; {@link #close()} stops it (tombstoning its ack). */
    record Plane(String proxyId, PolicyLogConsumer policies, HazelcastEndpointRegistry registry, AutoCloseable acks,
            long startNanos, java.util.concurrent.CompletableFuture<Long> firstState) implements AutoCloseable {
        /** Start to the first state applied (replayed, compiled, registry watched), in ms. */
        long awaitReadyMillis() throws Exception {
            return (firstState.get(10, java.util.concurrent.TimeUnit.MINUTES) - startNanos) / 1_000_000;
        }

        @Override
        public void close() throws Exception {
            policies.close();
            registry.close();
            acks.close();
        }
    }

    /**
     * Starts one plane of workload {@code app} in {@code namespace}, honouring Sidecars when {@code
     * scoped} (else holding the whole mesh, as before Sidecars); {@code endpointSeen} hears the
     * latency (ms) of every registration with a {@link #WRITTEN_AT} label that reaches its view.
     */
    static Plane start(String bootstrap, TopicCatalogue topics, HazelcastInstance hazelcast, String proxyId,
            String namespace, String app, boolean scoped, LongConsumer endpointSeen) {
        long start = System.nanoTime();
        var registry = new HazelcastEndpointRegistry(hazelcast, DiscoveryConfig.defaults(), null);
        var labels = Map.of("app", app);
        var updater = new SnapshotUpdater(new SnapshotCompiler(namespace, MeshScope.DEFAULT_ROOT_NAMESPACE, labels,
                new RateLimiters(Clock.systemUTC(), new GlobalRateLimits(new InMemoryGlobalRateCounter(Clock.systemUTC(), java.time.Duration.ofSeconds(10)), proxyId,
                        GlobalRateLimitSettings.DEFAULT, Clock.systemUTC()))), registry, new SnapshotHolder());
        var seen = ConcurrentHashMap.<String>newKeySet();
        registry.onChange(service -> timeNewRegistrations(registry, service, seen, endpointSeen));
        var acks = new ConfigAckPublisher(ConfigAckConfig.of(bootstrap, topics.configAcks().name(), proxyId, app, namespace));
        updater.onApplied(snapshot -> acks.publish(snapshot.version(), snapshot.generations(), List.<PolicyRejection>of(),
                snapshot.scope(), MeshScope.DEFAULT_ROOT_NAMESPACE));
        var ready = new java.util.concurrent.CompletableFuture<Long>();
        var scope = scoped ? new PolicyScope(namespace, labels, MeshScope.DEFAULT_ROOT_NAMESPACE) : null;
        var policies = new PolicyLogConsumer(PolicyConsumerConfig.defaults(bootstrap, topics.policy().name()), scope,
                state -> {
                    registry.watch(state.scope());
                    updater.accept(state);
                    ready.complete(System.nanoTime());
                }, new SimpleMeterRegistry()).start();
        return new Plane(proxyId, policies, registry, acks, start, ready);
    }

    private static void timeNewRegistrations(HazelcastEndpointRegistry registry, String service, Set<String> seen,
            LongConsumer endpointSeen) {
        long now = System.currentTimeMillis();
        for (var endpoint : registry.endpoints(service)) {
            var writtenAt = endpoint.labels().get(WRITTEN_AT);
            if (writtenAt != null && seen.add(endpoint.address() + "@" + writtenAt)) {
                endpointSeen.accept(now - Long.parseLong(writtenAt));
            }
        }
    }

    /** Stops every plane, in parallel-unfriendly order (the order they were started). */
    static void closeAll(List<Plane> planes) {
        for (var plane : new ArrayList<>(planes)) {
            try {
                plane.close();
            } catch (Exception e) {
                // a bench: a plane that fails to close does not change the figures already taken
            }
        }
    }
}
