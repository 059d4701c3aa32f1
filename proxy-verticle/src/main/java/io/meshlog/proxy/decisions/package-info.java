/**
 * What: the proxy obeys the telemetry pipeline's cluster-wide decisions. {@link
 * io.meshlog.proxy.decisions.DecisionsConsumer} reads the compacted {@code mesh.decisions.v1} from
 * the beginning (every partition, no consumer group, committed records only) and {@link
 * io.meshlog.proxy.decisions.DecisionApplier} turns each record into state the request path reads:
 * ejections into {@link io.meshlog.proxy.resilience.ClusterEjections} (key {@code
 * ejection/<svc>/<host:port>}; {@code ejected=false} or a tombstone lifts it), retry-budget states
 * into {@link io.meshlog.proxy.resilience.ClusterRetryBudgets} (key {@code retry-budget/<svc>}).
 *
 * <p>Flow: pipeline → Kafka → consumer thread → applier → concurrent maps → endpoint picker and
 * retry executor on the event loops. If Kafka is unreachable the last decisions stay in force
 * (ejections end at their {@code until}, budgets go stale after two windows).
 *
 * <p>The other way: {@link io.meshlog.proxy.decisions.LocalEjectionPublisher} reports this proxy's
 * own ejections (scope {@code LOCAL}, key {@code local-ejection/<proxyId>/<svc>/<host:port>}) for
 * the console; the applier ignores that scope, so no proxy obeys another's local view.
 *
 * <p>Thread: {@code meshlog-decisions-consumer}; never an event loop. The publisher is told on an
 * event loop and sends from {@code meshlog-local-ejections}.
 */
package io.meshlog.proxy.decisions;
