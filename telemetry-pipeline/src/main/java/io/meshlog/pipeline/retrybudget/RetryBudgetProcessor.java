package io.meshlog.pipeline.retrybudget;

import io.meshlog.pipeline.ingest.EventWeight;
import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.policy.ServicePolicies;
import io.meshlog.pipeline.policy.TelemetryWithPolicies;
import io.meshlog.pipeline.state.CommitFlushedStore;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.RetryBudgetState;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each attempt in its service's {@link RetryBudget} and forwards a RetryBudgetState
 * (key {@code retry-budget/<service>}) when it changes meaningfully. The budgets changed since
 * the last commit, each with the last state it emitted, are written to
 * {@link RetryBudgetTopology#STORE} when the task commits (in the same transaction as the states
 * and the input offsets), so a restart neither repeats nor loses a state.
 */
final class RetryBudgetProcessor implements Processor<String, TelemetryWithPolicies, String, Decision> {
    private static final Logger LOGGER = LoggerFactory.getLogger(RetryBudgetProcessor.class);
    private static final String DERIVED = "retry-budget-config";

    private final PipelineObserver observer;
    private final Map<String, RetryBudget> budgets = new HashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private ProcessorContext<String, Decision> context;
    private CommitFlushedStore store;

    RetryBudgetProcessor(PipelineObserver observer) {
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, Decision> context) {
        this.context = context;
        this.store = context.getStateStore(RetryBudgetTopology.STORE);
        // A revived task initialises the same instance again: only the store (restored to the
        // last commit) counts, never what memory held.
        budgets.clear();
        changed.clear();
        store.beforeCommit(this::persistChanged);
    }

    @Override
    public void process(Record<String, TelemetryWithPolicies> record) {
        var telemetry = record.value().telemetry();
        var service = telemetry.getDestinationService();
        var config = configOf(record.value().policies());
        var budget = budgets.get(service);
        if (budget == null || (budget.config() != config && !budget.config().equals(config))) {
            // Memory is newer than the store until the next commit.
            var stored = budget != null ? budget.encode() : store.get(service);
            budget = stored == null ? new RetryBudget(config) : RetryBudget.decode(stored, config);
            budgets.put(service, budget);
        }
        long time = telemetry.getEventTime().toEpochMilli();
        budget.record(time, EventWeight.of(telemetry), telemetry.getRetry());
        var snapshot = budget.snapshot();
        boolean emit = budget.shouldEmit(snapshot);
        changed.add(service);
        if (emit) {
            var state = RetryBudgetState.newBuilder().setService(service)
                    .setTtlMillis(config.ttl().toMillis())
                    .setOriginalRequests(snapshot.originalRequests()).setRetries(snapshot.retries())
                    .setAllowedRetries(snapshot.allowedRetries()).setRemaining(snapshot.remaining())
                    .setExhausted(snapshot.exhausted()).setDecidedAt(telemetry.getEventTime()).build();
            LOGGER.atDebug().addKeyValue("destination", service)
                    .addKeyValue("remaining", snapshot.remaining())
                    .addKeyValue("exhausted", snapshot.exhausted()).log("retry budget");
            context.forward(new Record<>("retry-budget/" + service,
                    Decision.newBuilder().setPayload(state).build(), time));
            observer.onRetryBudget(state);
        }
    }

    /** At commit: the budgets changed since the last one, into the changelogged store. */
    private void persistChanged() {
        changed.forEach(service -> store.put(service, budgets.get(service).encode()));
        changed.clear();
    }

    private static RetryBudgetConfig configOf(ServicePolicies policies) {
        return policies.derived(DERIVED, p -> {
            var policy = p.retryBudget().orElse(null);
            try {
                return RetryBudgetConfig.from(policy);
            } catch (RuntimeException e) {
                LOGGER.atWarn().addKeyValue("policyName", ServicePolicies.keyOf(policy))
                        .addKeyValue("error", e.getMessage())
                        .log("invalid RetryBudget, using the defaults");
                return RetryBudgetConfig.DEFAULTS;
            }
        });
    }
}
