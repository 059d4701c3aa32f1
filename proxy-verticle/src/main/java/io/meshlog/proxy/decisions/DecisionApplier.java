package io.meshlog.proxy.decisions;

import io.meshlog.proxy.resilience.ClusterEjections;
import io.meshlog.proxy.resilience.ClusterRetryBudgets;
import io.meshlog.proxy.resilience.Ejection;
import io.meshlog.proxy.resilience.EjectionSource;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.EjectionScope;
import io.meshlog.schemas.v1.RetryBudgetState;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one record of {@code mesh.decisions.v1} to the proxy's cluster-wide state. Pure apart
 * from the two targets: unit-testable without Kafka.
 */
public final class DecisionApplier {
    /** Key prefix of ejection decisions: {@code ejection/<service>/<host:port>}. */
    public static final String EJECTION = "ejection/";
    /** Key prefix of retry-budget decisions: {@code retry-budget/<service>}. */
    public static final String RETRY_BUDGET = "retry-budget/";
    /** How long an ejection without {@code until} lasts (the pipeline always sets one). */
    static final Duration DEFAULT_EJECTION = Duration.ofSeconds(30);
    private static final Logger LOGGER = LoggerFactory.getLogger(DecisionApplier.class);

    /** What a record did. */
    public enum Outcome { EJECTED, RETURNED, BUDGET, BUDGET_CLEARED, IGNORED }

    private final ClusterEjections ejections;
    private final ClusterRetryBudgets budgets;

    public DecisionApplier(ClusterEjections ejections, ClusterRetryBudgets budgets) {
        this.ejections = ejections;
        this.budgets = budgets;
    }

    /** Applies {@code decision} (null: a tombstone) found under {@code key}. */
    public Outcome apply(String key, Decision decision) {
        if (key == null) {
            return Outcome.IGNORED;
        }
        if (decision == null) {
            return tombstone(key);
        }
        var payload = decision.getPayload();
        if (payload instanceof io.meshlog.schemas.v1.Ejection ejection) {
            // Another proxy's own view of an endpoint, reported for the console: never obeyed here.
            return ejection.getScope() == EjectionScope.LOCAL ? Outcome.IGNORED : ejection(ejection);
        }
        if (payload instanceof RetryBudgetState state) {
            budgets.update(state.getService(), state.getOriginalRequests(), state.getRemaining(), state.getExhausted(),
                    state.getAllowedRetries(), Duration.ofMillis(state.getTtlMillis()), state.getDecidedAt());
            return Outcome.BUDGET;
        }
        return Outcome.IGNORED;
    }

    private Outcome ejection(io.meshlog.schemas.v1.Ejection decision) {
        if (!decision.getEjected()) {
            ejections.clear(decision.getService(), decision.getEndpoint());
            LOGGER.atInfo().addKeyValue("destination", decision.getService())
                    .addKeyValue("endpoint", decision.getEndpoint()).addKeyValue("reason", decision.getReason())
                    .log("cluster-wide ejection lifted");
            return Outcome.RETURNED;
        }
        var since = decision.getDecidedAt();
        var until = decision.getUntil() != null ? decision.getUntil() : since.plus(DEFAULT_EJECTION);
        ejections.eject(decision.getService(), decision.getEndpoint(), new Ejection(EjectionSource.Side.CLUSTER,
                reason(decision), since, until, decision.getEjectionCount()));
        LOGGER.atInfo().addKeyValue("destination", decision.getService())
                .addKeyValue("endpoint", decision.getEndpoint()).addKeyValue("reason", decision.getReason())
                .addKeyValue("count", decision.getEjectionCount()).addKeyValue("until", until)
                .log("cluster-wide ejection applied");
        return Outcome.EJECTED;
    }

    /** e.g. {@code cluster-wide CONSECUTIVE_5XX (5 consecutive 5xx over all callers)}. */
    private static String reason(io.meshlog.schemas.v1.Ejection decision) {
        var detail = decision.getDetail();
        return "cluster-wide " + decision.getReason() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
    }

    private Outcome tombstone(String key) {
        if (key.startsWith(EJECTION)) {
            var rest = key.substring(EJECTION.length());
            int slash = rest.lastIndexOf('/');
            if (slash > 0) {
                ejections.clear(rest.substring(0, slash), rest.substring(slash + 1));
                return Outcome.RETURNED;
            }
        } else if (key.startsWith(RETRY_BUDGET)) {
            budgets.clear(key.substring(RETRY_BUDGET.length()));
            return Outcome.BUDGET_CLEARED;
        }
        return Outcome.IGNORED;
    }
}
