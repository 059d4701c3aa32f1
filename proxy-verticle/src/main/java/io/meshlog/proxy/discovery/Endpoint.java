package io.meshlog.proxy.discovery;

import java.util.Map;
import java.util.Objects;

/**
 * One instance of a service that a proxy can send requests to: the address of that workload's
 * inbound listener (its sidecar), or of the app itself in static bootstrap mode.
 *
 * @param service the service name callers use (the Host header / VirtualService host)
 * @param host IP address or host name, 127.0.0.1 in dev and tests
 * @param port TCP port
 * @param labels workload labels, e.g. {@code version=v2}; DestinationRule subsets select on them
 * @param workload the workload name (e.g. {@code orders-v1}); used in telemetry and metrics
 * @param spiffeId the identity the endpoint's certificate must present, or "" when unknown
 * @param servicePort the service port this endpoint serves (Istio's destination.port selects on
 *     it): in static mode the app's port unless given, in the mesh the workload's app port
 */
public record Endpoint(
        String service, String host, int port, Map<String, String> labels, String workload,
        String spiffeId, int servicePort) {
    public Endpoint {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint " + host + ": port must be 1-65535, but was " + port);
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        workload = workload == null ? "" : workload;
        spiffeId = spiffeId == null ? "" : spiffeId;
        servicePort = servicePort == 0 ? port : servicePort;
        if (servicePort < 1 || servicePort > 65535) {
            throw new IllegalArgumentException("endpoint " + host + ": servicePort must be 1-65535, but was " + servicePort);
        }
    }

    /** An endpoint whose service port is its own port. */
    public Endpoint(String service, String host, int port, Map<String, String> labels, String workload, String spiffeId) {
        this(service, host, port, labels, workload, spiffeId, port);
    }

    /** {@code host:port}, the endpoint's identity in telemetry, decisions and /clusters. */
    public String address() {
        return host + ":" + port;
    }
}
