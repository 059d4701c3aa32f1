package io.meshlog.proxy.resilience;

import java.time.Instant;

/**
 * One endpoint kept out of load balancing.
 *
 * @param side who decided: this proxy, or the cluster-wide pipeline
 * @param reason why, e.g. {@code 5 consecutive 5xx}
 * @param since when it started
 * @param until when it ends
 * @param times how many times the endpoint has been ejected (the time multiplier)
 */
public record Ejection(EjectionSource.Side side, String reason, Instant since, Instant until, int times) {}
