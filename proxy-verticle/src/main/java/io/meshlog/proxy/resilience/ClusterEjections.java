package io.meshlog.proxy.resilience;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mesh-wide side of ejection: decisions of the telemetry pipeline, applied by a decisions
 * consumer through {@link #eject} and {@link #clear}. Ended ejections are ignored when read.
 */
public final class ClusterEjections implements EjectionSource {
    private final Clock clock;
    private final Map<String, Map<String, Ejection>> byService = new ConcurrentHashMap<>();

    public ClusterEjections(Clock clock) {
        this.clock = clock;
    }

    /** Keeps {@code address} of {@code service} out until {@code ejection.until()}. */
    public void eject(String service, String address, Ejection ejection) {
        byService.computeIfAbsent(service, s -> new ConcurrentHashMap<>()).put(address, ejection);
    }

    /** Lifts a cluster-wide ejection early. */
    public void clear(String service, String address) {
        var endpoints = byService.get(service);
        if (endpoints != null) {
            endpoints.remove(address);
        }
    }

    @Override
    public Ejection ejection(String service, EndpointState endpoint) {
        if (byService.isEmpty()) {
            return null;
        }
        var endpoints = byService.get(service);
        var ejection = endpoints == null ? null : endpoints.get(endpoint.address());
        return ejection != null && ejection.until().toEpochMilli() > clock.millis() ? ejection : null;
    }
}
