package io.meshlog.proxy.resilience;

/**
 * Who may keep an endpoint out of load balancing: the proxy's own outlier detection ({@link
 * LocalOutlierDetector}) and the mesh-wide decisions of the telemetry pipeline ({@link
 * ClusterEjections}, fed by a decisions consumer). The picker skips an endpoint either side ejects.
 */
public interface EjectionSource {
    enum Side { LOCAL, CLUSTER }

    /** The ejection of {@code endpoint} of {@code service} in force now, or null. Never blocks. */
    Ejection ejection(String service, EndpointState endpoint);
}
