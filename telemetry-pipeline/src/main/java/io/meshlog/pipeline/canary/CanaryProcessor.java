package io.meshlog.pipeline.canary;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.policy.ServicePolicies;
import io.meshlog.pipeline.state.CommitFlushedStore;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.PolicyEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds each {@link CanaryRun} of this task its policies, its service's requests and the passing
 * time, and forwards what it decides. Runs live in memory; the ones that changed are written to
 * {@link CanaryTopology#STORE} when the task commits, in the same transaction as the route
 * changes, the statuses and the input offsets.
 */
final class CanaryProcessor implements Processor<String, CanaryInput, String, CanaryEmit> {
    private static final Logger LOGGER = LoggerFactory.getLogger(CanaryProcessor.class);

    private final Duration tick;
    private final PipelineObserver observer;
    private final CanaryRunCodec codec = new CanaryRunCodec();
    private final Map<String, CanaryRun> runs = new HashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private ProcessorContext<String, CanaryEmit> context;
    private CommitFlushedStore store;
    private AckView acks;
    private boolean dirty;
    private final CanaryRun.Effects effects;

    CanaryProcessor(Duration tick, PipelineObserver observer, CanaryWebhooks webhooks) {
        this.tick = tick;
        this.observer = observer;
        this.effects = CanaryRun.Effects.of(this::route, this::status, webhooks);
    }

    @Override
    public void init(ProcessorContext<String, CanaryEmit> context) {
        this.context = context;
        this.store = context.getStateStore(CanaryTopology.STORE);
        KeyValueStore<String, ConfigAck> ackStore = context.getStateStore(CanaryTopology.ACKS_STORE);
        this.acks = (proxyId, policyKey) -> {
            var ack = ackStore.get(proxyId);
            if (ack == null) {
                return OptionalLong.empty();
            }
            var generation = ack.getGenerations().get(policyKey);
            return OptionalLong.of(generation == null ? 0 : generation);
        };
        // A revived task initialises the same instance again: only the store (restored to the
        // last commit) counts, never what memory held.
        runs.clear();
        changed.clear();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> runs.put(entry.key, codec.decode(entry.value)));
        }
        store.beforeCommit(this::persistChanged);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::onTick);
    }

    @Override
    public void process(Record<String, CanaryInput> record) {
        var now = context.currentSystemTimeMs();
        if (record.value() instanceof CanaryInput.Policies policies) {
            onPolicies(record.key(), policies.policies(), now);
        } else if (record.value() instanceof CanaryInput.Request request) {
            for (var run : runs.values()) {
                if (run.status.getService().equals(record.key())) {
                    run.onRequest(request.telemetry(), acks, now, effects);
                    changed.add(run.key());
                }
            }
        }
    }

    private void onPolicies(String service, ServicePolicies policies, long now) {
        var present = new HashSet<String>();
        if (policies != null) {
            for (var event : policies.canaries()) {
                var key = event.getNamespace() + "/" + event.getName();
                present.add(key);
                var route = policies.byKey().get(CanaryRoutes.routeKey(event.getNamespace(), event.getName()));
                var routeGeneration = route == null ? 0 : route.getGeneration();
                var run = runs.get(key);
                if (run != null && run.canaryEvent.getGeneration() != event.getGeneration() && controlOnly(run, event)) {
                    run.onControl(event, now, effects);
                } else if (run == null || run.canaryEvent.getGeneration() != event.getGeneration()) {
                    var lastSeen = Math.max(routeGeneration, run == null ? 0 : run.lastRouteSeen);
                    LOGGER.atInfo().addKeyValue("policyName", key).addKeyValue("generation", event.getGeneration())
                            .addKeyValue("destination", service).log("canary analysis starts");
                    runs.put(key, CanaryRun.start(event, lastSeen, now, effects));
                } else if (route != null) {
                    run.onRouteSeen(routeGeneration, acks, now, effects);
                }
                changed.add(key);
            }
        }
        var gone = runs.values().stream()
                .filter(run -> run.status.getService().equals(service) && !present.contains(run.key()))
                .map(CanaryRun::key).toList();
        for (var key : gone) {
            runs.remove(key);
            changed.add(key);
            LOGGER.atInfo().addKeyValue("policyName", key).log("canary deleted; its route stays as it is");
            context.forward(new Record<>(key, new CanaryEmit.Status(key, null), now));
        }
    }

    /**
     * Whether a new generation of a run's Canary only steers it: same spec, and either the run goes
     * on or the generation carries a control label. Anything else (a new spec, or the same spec
     * re-applied without a label after the run finished) starts a new rollout.
     */
    private static boolean controlOnly(CanaryRun run, PolicyEvent event) {
        return run.canaryEvent.getSpec().equals(event.getSpec())
                && (!run.finished() || event.getLabels().containsKey(CanaryRun.CONTROL_LABEL));
    }

    private void onTick(long now) {
        for (var run : runs.values()) {
            dirty = false;
            run.onTick(acks, now, effects);
            if (dirty) {
                changed.add(run.key());
            }
        }
    }

    private void route(String policyKey, PolicyEvent event) {
        dirty = true;
        LOGGER.atInfo().addKeyValue("policyName", policyKey).addKeyValue("generation", event.getGeneration())
                .log("canary route published");
        context.forward(new Record<>(policyKey, new CanaryEmit.Route(policyKey, event), context.currentSystemTimeMs()));
    }

    private void status(String canaryKey, CanaryStatus status) {
        dirty = true;
        LOGGER.atDebug().addKeyValue("policyName", canaryKey).addKeyValue("phase", status.getPhase())
                .addKeyValue("step", status.getStep()).log(status.getMessage());
        context.forward(new Record<>(canaryKey, new CanaryEmit.Status(canaryKey, status), context.currentSystemTimeMs()));
        observer.onCanaryStatus(status);
    }

    private void persistChanged() {
        for (var key : changed) {
            var run = runs.get(key);
            if (run == null) {
                store.delete(key);
            } else {
                store.put(key, codec.encode(run));
            }
        }
        changed.clear();
    }
}
