package io.meshlog.pipeline.outlier;

import io.meshlog.pipeline.ingest.EventWeight;
import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.policy.PolicyTable;
import io.meshlog.pipeline.policy.ServicePolicies;
import io.meshlog.pipeline.policy.TelemetryWithPolicies;
import io.meshlog.pipeline.state.CommitFlushedStore;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.ResponseFlag;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds each telemetry event to its service's {@link ServiceOutlierDetector}, under the
 * outlierDetection that applies to its destination (its subset's own, its DestinationRule's, or the
 * mesh-wide rule's; none: the event is not counted, Istio's default), and forwards the ejections
 * and returns it decides, keyed {@code ejection/<service>/<endpoint>}. The endpoints a
 * detector changed are written to {@link OutlierTopology#STORE} when the task commits (in the
 * transaction that commits the events that changed them), so a task that moves to another
 * instance restores them from the changelog; on init every detector is rebuilt from the store.
 */
final class OutlierProcessor implements Processor<String, TelemetryWithPolicies, String, Decision> {
    private static final Logger LOGGER = LoggerFactory.getLogger(OutlierProcessor.class);
    private static final String DERIVED = "outlier-config";
    /** Outcomes decided by the caller itself, not by the endpoint: never held against it. */
    private static final Set<ResponseFlag> LOCAL_FLAGS = EnumSet.of(ResponseFlag.FI, ResponseFlag.UO,
            ResponseFlag.RL, ResponseFlag.NR, ResponseFlag.UH, ResponseFlag.UAEX, ResponseFlag.DC);

    private final Duration punctuateEvery;
    private final PipelineObserver observer;
    private final Map<String, ServiceOutlierDetector> detectors = new HashMap<>();
    private final Set<ServiceOutlierDetector> changed = new LinkedHashSet<>();
    private ProcessorContext<String, Decision> context;
    private CommitFlushedStore store;
    private KeyValueStore<String, ValueAndTimestamp<PolicyEvent>> meshWideStore;
    private PolicyEvent meshWideRule;
    private RuleOutlierSettings meshWide = RuleOutlierSettings.OFF;

    OutlierProcessor(Duration punctuateEvery, PipelineObserver observer) {
        this.punctuateEvery = punctuateEvery;
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, Decision> context) {
        this.context = context;
        this.store = context.getStateStore(OutlierTopology.STORE);
        this.meshWideStore = context.getStateStore(PolicyTable.MESH_WIDE_STORE);
        refreshMeshWide();
        // A revived task initialises the same instance again: only the store (restored to the
        // last commit) counts, never what memory held.
        detectors.clear();
        changed.clear();
        restoreAll();
        store.beforeCommit(this::persistChanged);
        // Wall clock, not stream time: once an endpoint is ejected its callers stop sending to it,
        // and a quiet partition's stream time may not move for a long time.
        context.schedule(punctuateEvery, PunctuationType.WALL_CLOCK_TIME, now -> {
            // a change of the mesh-wide rule applies from the next punctuation (a second), not per event
            refreshMeshWide();
            expireAll(now);
        });
    }

    private void restoreAll() {
        var metas = new HashMap<String, byte[]>();
        var states = new HashMap<String, Map<String, byte[]>>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> {
                int bar = kv.key.lastIndexOf('|');
                var service = kv.key.substring(0, bar);
                var endpoint = kv.key.substring(bar + 1);
                if (endpoint.isEmpty()) {
                    metas.put(service, kv.value);
                } else {
                    states.computeIfAbsent(service, s -> new HashMap<>()).put(endpoint, kv.value);
                }
            });
        }
        states.forEach((service, endpoints) -> detector(service).restore(metas.get(service), endpoints));
        metas.forEach((service, meta) -> {
            if (!states.containsKey(service)) {
                detector(service).restore(meta, Map.of());
            }
        });
        detectors.values().forEach(d -> d.ejections().forEach((endpoint, until) ->
                observer.onEjectionState(d.service(), endpoint, true)));
    }

    private ServiceOutlierDetector detector(String service) {
        return detectors.computeIfAbsent(service, ServiceOutlierDetector::new);
    }

    @Override
    public void process(Record<String, TelemetryWithPolicies> record) {
        var telemetry = record.value().telemetry();
        var endpoint = telemetry.getDestinationEndpoint();
        if (endpoint == null || endpoint.isEmpty() || isLocal(telemetry.getResponseFlags())) {
            return;
        }
        var config = settingsOf(record.value().policies()).forSubset(telemetry.getDestinationSubset());
        if (config == null) {
            return; // no outlierDetection for this destination: Istio's default is no ejection
        }
        var service = telemetry.getDestinationService();
        var detector = detector(service);
        var changes = detector.onResult(endpoint,
                ServiceOutlierDetector.Outcome.of(telemetry.getStatus()), EventWeight.of(telemetry),
                telemetry.getEventTime().toEpochMilli(), config);
        changed.add(detector);
        emit(changes);
    }

    private static boolean isLocal(List<ResponseFlag> flags) {
        for (var flag : flags) {
            if (LOCAL_FLAGS.contains(flag)) {
                return true;
            }
        }
        return false;
    }

    /** The service's own DestinationRule's settings, else the mesh-wide rule's (Istio takes the most specific rule whole). */
    private RuleOutlierSettings settingsOf(ServicePolicies policies) {
        java.util.Optional<RuleOutlierSettings> own = policies.derived(DERIVED,
                p -> p.destinationRule().map(RuleOutlierSettings::of));
        return own.isPresent() ? own.get() : meshWide;
    }

    /** Reads the mesh-wide rule again: the first by key, as the proxies take it (they reject the others). */
    private void refreshMeshWide() {
        PolicyEvent first = null;
        try (var all = meshWideStore.all()) {
            while (all.hasNext() && first == null) {
                var value = all.next().value;
                first = value == null ? null : value.value();
            }
        }
        if (first != meshWideRule) {
            meshWideRule = first;
            meshWide = RuleOutlierSettings.of(first);
        }
    }

    private void expireAll(long wallClock) {
        for (var detector : detectors.values()) {
            var changes = detector.expire(wallClock);
            if (!changes.isEmpty()) {
                changed.add(detector);
                emit(changes);
            }
        }
    }

    /** At commit: what the detectors changed since the last one, into the changelogged store. */
    private void persistChanged() {
        changed.forEach(this::persist);
        changed.clear();
    }

    private void persist(ServiceOutlierDetector detector) {
        var prefix = detector.service() + "|";
        store.put(prefix, detector.encodeMeta());
        detector.drainDirty().forEach((endpoint, bytes) -> store.put(prefix + endpoint, bytes));
        detector.drainRemoved().forEach(endpoint -> store.delete(prefix + endpoint));
    }

    private void emit(List<EjectionChange> changes) {
        for (var change : changes) {
            LOGGER.atDebug().addKeyValue("destination", change.service())
                    .addKeyValue("endpoint", change.endpoint())
                    .addKeyValue("ejected", change.ejected())
                    .addKeyValue("reason", change.reason())
                    .addKeyValue("ejectionCount", change.ejectionCount())
                    .log("outlier decision");
            var decision = change.toDecision();
            context.forward(new Record<>(change.key(), decision, change.decidedAt()));
            observer.onEjectionState(change.service(), change.endpoint(), change.ejected());
        }
    }

    @Override
    public void close() {
        // Another instance owns these endpoints now: its own observer reports them.
        detectors.values().forEach(d -> d.ejections().keySet().forEach(endpoint ->
                observer.onEjectionState(d.service(), endpoint, false)));
    }
}
