package io.meshlog.policy.adoption;

import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the mesh's topics hold for one window.
 *
 * @param to the end of the window (when it was read)
 * @param window its length
 * @param edges the closed edge windows that started in it
 * @param telemetry the request telemetry written in it
 * @param proxies the proxies' config acks (heartbeats) written in it, with their record time
 */
public record WindowData(Instant to, Duration window, List<EdgeMetrics> edges, List<RequestTelemetry> telemetry,
        List<ProxySample> proxies) {
    public WindowData {
        edges = List.copyOf(edges);
        telemetry = List.copyOf(telemetry);
        proxies = List.copyOf(proxies);
    }

    /**
     * One proxy's footprint at one time.
     *
     * @param timeMillis the ack's record time
     * @param cpuSeconds CPU seconds its process had used by then
     * @param residentBytes its process's resident memory
     */
    public record ProxySample(String proxyId, String workload, String namespace, long timeMillis, double cpuSeconds,
            long residentBytes) {}
}
