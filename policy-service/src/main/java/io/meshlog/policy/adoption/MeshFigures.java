package io.meshlog.policy.adoption;

import io.meshlog.schemas.v1.Baseline;
import io.meshlog.schemas.v1.BaselineEdge;
import io.meshlog.schemas.v1.BaselineProxy;
import io.meshlog.schemas.v1.EdgeMetrics;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The figures of one window: per edge, the rate, error ratio, latency and sidecar-overhead
 * quantiles of the pipeline's edge windows merged (their HdrHistograms merge exactly, so the
 * quantiles are those of every request in the window, not averages of window quantiles); per
 * proxy, the CPU its process used per second between its first and last heartbeat in the window
 * and its latest resident memory. The same record shape as a stored {@link Baseline}.
 */
public final class MeshFigures {
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private MeshFigures() {}

    /** The window's figures as a baseline named {@code name}. */
    public static Baseline of(String name, WindowData data) {
        return Baseline.newBuilder().setName(name).setCapturedAt(data.to()).setWindowMillis(data.window().toMillis())
                .setEdges(edges(data)).setProxies(proxies(data)).build();
    }

    static List<BaselineEdge> edges(WindowData data) {
        var byEdge = new TreeMap<String, List<EdgeMetrics>>();
        for (var m : data.edges()) {
            byEdge.computeIfAbsent(m.getSource() + "->" + m.getDestination(), k -> new ArrayList<>()).add(m);
        }
        double seconds = Math.max(1, data.window().toMillis() / 1000.0);
        var out = new ArrayList<BaselineEdge>();
        for (var windows : byEdge.values()) {
            long requests = 0;
            long errors = 0;
            var latency = histogram();
            var overhead = histogram();
            for (var m : windows) {
                requests += m.getRequests();
                errors += m.getErrors5xx();
                add(latency, m.getLatencyHistogram());
                add(overhead, m.getOverheadHistogram());
            }
            var first = windows.get(0);
            out.add(BaselineEdge.newBuilder().setSource(first.getSource()).setDestination(first.getDestination())
                    .setRequests(requests).setRequestsPerSecond(requests / seconds)
                    .setErrorRatio(requests == 0 ? 0 : (double) errors / requests)
                    .setP50Millis(millis(latency, 50)).setP95Millis(millis(latency, 95)).setP99Millis(millis(latency, 99))
                    .setOverheadP50Millis(millis(overhead, 50)).setOverheadP95Millis(millis(overhead, 95))
                    .setOverheadP99Millis(millis(overhead, 99)).build());
        }
        return out;
    }

    static List<BaselineProxy> proxies(WindowData data) {
        var byProxy = new TreeMap<String, List<WindowData.ProxySample>>();
        data.proxies().forEach(s -> byProxy.computeIfAbsent(s.proxyId(), k -> new ArrayList<>()).add(s));
        var out = new ArrayList<BaselineProxy>();
        for (Map.Entry<String, List<WindowData.ProxySample>> entry : byProxy.entrySet()) {
            var samples = entry.getValue().stream().sorted(Comparator.comparingLong(WindowData.ProxySample::timeMillis)).toList();
            var first = samples.get(0);
            var last = samples.get(samples.size() - 1);
            double elapsed = (last.timeMillis() - first.timeMillis()) / 1000.0;
            double cores = elapsed > 0 && last.cpuSeconds() >= first.cpuSeconds()
                    ? (last.cpuSeconds() - first.cpuSeconds()) / elapsed : -1;
            out.add(BaselineProxy.newBuilder().setProxyId(entry.getKey()).setWorkload(last.workload())
                    .setNamespace(last.namespace()).setCpuCores(cores).setResidentBytes(last.residentBytes()).build());
        }
        return out;
    }

    private static Histogram histogram() {
        return new Histogram(1, HIGHEST_MICROS, 2);
    }

    private static void add(Histogram into, ByteBuffer compressed) {
        if (compressed == null || !compressed.hasRemaining()) {
            return; // an edge window written before the field existed
        }
        try {
            into.add(Histogram.decodeFromCompressedByteBuffer(compressed.duplicate(), 0));
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt histogram in an edge window", e);
        }
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
