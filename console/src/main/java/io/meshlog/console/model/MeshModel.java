package io.meshlog.console.model;

import io.meshlog.console.findings.ConfigFinding;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.RetryBudgetState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Everything the console shows, folded from the mesh's topics: edge windows (an hour of them),
 * which workload serves which service and behind which endpoint (learned from telemetry), the
 * cluster-wide decisions, the burn-rate alerts, the proxies' config acks, the policies in force,
 * the findings over them and the last requests of each service.
 *
 * <p>One feed thread folds; HTTP handlers read through {@link #read}. Both take the model's lock:
 * a read builds its answer in a few milliseconds even for 2,000 edges (see the bench), so one
 * lock is simpler than copy-on-write snapshots. A new input (e.g. canary state) is one more
 * fold method and one more map here, and one more topic in the feed.
 */
public final class MeshModel {
    /** How many requests the live tail keeps per service. */
    public static final int TAIL_CAPACITY = 200;

    final Clock clock;
    final Map<String, EdgeSeries> edges = new HashMap<>();
    final Map<String, Workload> workloads = new TreeMap<>();
    final Map<String, String> endpointWorkload = new HashMap<>();
    final Map<String, Boolean> edgeMtls = new HashMap<>();
    final Map<String, Ejection> ejections = new TreeMap<>();
    final Map<String, RetryBudgetState> budgets = new TreeMap<>();
    final Map<String, BurnRateAlert> alerts = new TreeMap<>();
    final Map<String, ConfigAck> acks = new TreeMap<>();
    final Map<String, PolicyEvent> policies = new TreeMap<>();
    final Map<String, io.meshlog.schemas.v1.CanaryStatus> canaries = new TreeMap<>();
    final Map<String, TailBuffer> tails = new HashMap<>();
    List<ConfigFinding> findings = List.of();
    long latestWindowEnd = Long.MIN_VALUE;
    long firstWindowStart = Long.MAX_VALUE;
    private final AtomicLong version = new AtomicLong();

    /** What the console knows of one workload; fields fill in as telemetry and acks arrive. */
    static final class Workload {
        final String name;
        String namespace;
        String service;
        String subset;

        Workload(String name) {
            this.name = name;
        }
    }

    /** @param clock tells how stale the newest edge window is */
    public MeshModel(Clock clock) {
        this.clock = clock;
    }

    /** Grows with every change; the event stream tells pages when it moved. */
    public long version() {
        return version.get();
    }

    public synchronized void edge(EdgeMetrics m) {
        var window = EdgeWindow.of(m);
        edges.computeIfAbsent(edgeKey(m.getSource(), m.getDestination()), k -> new EdgeSeries()).add(window);
        firstWindowStart = Math.min(firstWindowStart, window.start());
        if (window.end() > latestWindowEnd) {
            latestWindowEnd = window.end();
            long oldest = latestWindowEnd - TimeWindow.longest().toMillis();
            edges.values().removeIf(series -> {
                series.prune(oldest);
                return series.isEmpty();
            });
        }
        version.incrementAndGet();
    }

    /** A decision record; {@code decision == null} is a tombstone. */
    public synchronized void decision(String key, Decision decision) {
        if (decision == null) {
            ejections.remove(key);
            budgets.values().removeIf(b -> key.equals("retry-budget/" + b.getService()));
        } else if (decision.getPayload() instanceof Ejection ejection) {
            if (ejection.getEjected()) {
                ejections.put(key, ejection);
            } else {
                ejections.remove(key);
            }
        } else if (decision.getPayload() instanceof RetryBudgetState budget) {
            budgets.put(budget.getService(), budget);
        }
        version.incrementAndGet();
    }

    /**
     * The ejections in force now: the pipeline's cluster-wide ones, and proxies' local ones
     * (reported under {@code local-ejection/…}) until their end. A proxy reports a local return
     * only when it next looks at the endpoint, so the end time decides here.
     */
    java.util.List<Ejection> ejectionsInForce() {
        long now = clock.millis();
        return ejections.values().stream().filter(e -> !isLocal(e) || e.getUntil() == null
                || e.getUntil().toEpochMilli() > now).toList();
    }

    static boolean isLocal(Ejection e) {
        return e.getScope() == io.meshlog.schemas.v1.EjectionScope.LOCAL;
    }

    /** The canary controller's state of one Canary ({@code namespace/name}); {@code status == null} is a tombstone. */
    public synchronized void canary(String key, io.meshlog.schemas.v1.CanaryStatus status) {
        if (status == null) {
            canaries.remove(key);
        } else {
            canaries.put(key, status);
        }
        version.incrementAndGet();
    }

    /** An alert transition; resolved alerts are kept (the page shows them as resolved). */
    public synchronized void alert(String key, BurnRateAlert alert) {
        if (alert == null) {
            alerts.remove(key);
        } else {
            alerts.put(key, alert);
        }
        version.incrementAndGet();
    }

    public synchronized void configAck(String proxyId, ConfigAck ack) {
        if (ack == null) {
            acks.remove(proxyId);
        } else {
            acks.put(proxyId, ack);
            workload(ack.getWorkload()).namespace = ack.getNamespace();
        }
        version.incrementAndGet();
    }

    /** A policy event; {@code event == null} is a tombstone. */
    public synchronized void policy(String key, PolicyEvent event) {
        if (event == null) {
            policies.remove(key);
        } else {
            policies.put(key, event);
        }
        version.incrementAndGet();
    }

    /** The latest event of every policy in force, for the findings source. */
    public synchronized List<PolicyEvent> policiesInForce() {
        return List.copyOf(policies.values());
    }

    public synchronized void findings(List<ConfigFinding> latest) {
        findings = List.copyOf(latest);
        version.incrementAndGet();
    }

    /** One request attempt: feeds the live tail and teaches who serves what, and over mTLS or not. */
    public synchronized void telemetry(RequestTelemetry t) {
        var source = workload(t.getSourceWorkload());
        if (source.namespace == null) {
            source.namespace = t.getSourceNamespace();
        }
        if (t.getDestinationWorkload() != null) {
            var destination = workload(t.getDestinationWorkload());
            destination.service = t.getDestinationService();
            if (destination.namespace == null) {
                // Until its own proxy's ack says otherwise: where the caller resolved the service.
                destination.namespace = ServiceRef.resolve(t.getDestinationService(), source.namespace).namespace();
            }
            if (t.getDestinationSubset() != null) {
                destination.subset = t.getDestinationSubset();
            }
            if (t.getDestinationEndpoint() != null) {
                endpointWorkload.put(t.getDestinationService() + "/" + t.getDestinationEndpoint(), destination.name);
            }
        }
        if (t.getStatus() != 0) {
            edgeMtls.put(edgeKey(t.getSourceWorkload(), t.getDestinationService()), t.getMtls());
        }
        tails.computeIfAbsent(t.getDestinationService(), s -> new TailBuffer(TAIL_CAPACITY)).add(TailEntry.of(t));
        version.incrementAndGet();
    }

    /** Runs {@code reader} under the model's lock. */
    public synchronized <T> T read(Function<MeshModel, T> reader) {
        return reader.apply(this);
    }

    Workload workload(String name) {
        return workloads.computeIfAbsent(name, Workload::new);
    }

    /** The namespace of workload {@code name}, or null while unknown. */
    String namespaceOf(String name) {
        var w = workloads.get(name);
        return w == null ? null : w.namespace;
    }

    /** The service {@code destination} (a host) names when called from workload {@code source}. */
    ServiceRef destination(String source, String destination) {
        return ServiceRef.resolve(destination, namespaceOf(source));
    }

    /** The workload behind {@code endpoint} of {@code service}, or null. */
    String workloadAt(String service, String endpoint) {
        return endpointWorkload.get(service + "/" + endpoint);
    }

    List<String> edgeKeys() {
        return new ArrayList<>(edges.keySet());
    }

    static String edgeKey(String source, String destination) {
        return source + "->" + destination;
    }

    static String[] splitEdgeKey(String key) {
        int arrow = key.indexOf("->");
        return new String[] {key.substring(0, arrow), key.substring(arrow + 2)};
    }
}
