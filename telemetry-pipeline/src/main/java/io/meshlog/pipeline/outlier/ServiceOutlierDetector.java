package io.meshlog.pipeline.outlier;

import io.meshlog.schemas.v1.EjectionReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Outlier detection for every endpoint of one destination service, over the results reported by
 * all callers. Consecutive-error rules decide on each result; success rate and failure
 * percentage are evaluated when a result opens a new interval; ejections end when their time has
 * passed. The service's clock is the newest time it has seen, so late results never move it back.
 *
 * <p>Not thread-safe: owned by the stream task of the service's partition. Changed endpoints are
 * reported by {@link #drainDirty()} and {@link #drainRemoved()} so the owner can persist them.
 */
public final class ServiceOutlierDetector {
    private final String service;
    private final Map<String, EndpointState> endpoints = new TreeMap<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> removed = new HashSet<>();
    private long clock = Long.MIN_VALUE;
    private long intervalIndex = Long.MIN_VALUE;

    public ServiceOutlierDetector(String service) {
        this.service = service;
    }

    public String service() {
        return service;
    }

    /** The outcome of one upstream attempt, as outlier detection sees it. */
    public enum Outcome {
        SUCCESS, SERVER_ERROR, GATEWAY_ERROR;

        /** 5xx, or 0 (no response: connect failure, reset, timeout) which Envoy maps to 503. */
        public static Outcome of(int status) {
            if (status == 0 || status == 502 || status == 503 || status == 504) {
                return GATEWAY_ERROR;
            }
            return status >= 500 ? SERVER_ERROR : SUCCESS;
        }
    }

    /** Records one result for {@code endpoint} at {@code time}; returns the ejections it caused. */
    public List<EjectionChange> onResult(String endpoint, Outcome outcome, long time,
            OutlierDetectionConfig config) {
        return onResult(endpoint, outcome, 1, time, config);
    }

    /**
     * Records {@code weight} alike results (a sampled success standing for several) for
     * {@code endpoint} at {@code time}; returns the ejections they caused. Consecutive-error runs
     * only need to know that a success came between errors, which one event of any weight says.
     */
    public List<EjectionChange> onResult(String endpoint, Outcome outcome, int weight, long time,
            OutlierDetectionConfig config) {
        // Most results change nothing: allocate the list only when something does.
        List<EjectionChange> changes = List.of();
        clock = Math.max(clock, time);
        changes = concat(changes, expire(clock));
        changes = concat(changes, maybeEvaluateInterval(config));
        var state = endpoints.computeIfAbsent(endpoint, e -> new EndpointState());
        state.lastSeen = Math.max(state.lastSeen, time);
        state.intervalTotal += weight;
        boolean failure = outcome != Outcome.SUCCESS;
        if (!failure) {
            state.intervalSuccesses += weight;
        }
        state.consecutive5xx = failure ? state.consecutive5xx + weight : 0;
        state.consecutiveGateway = outcome == Outcome.GATEWAY_ERROR ? state.consecutiveGateway + weight : 0;
        dirty.add(endpoint);
        if (!state.ejected) {
            if (config.consecutiveGatewayErrors() > 0
                    && state.consecutiveGateway >= config.consecutiveGatewayErrors()) {
                changes = new ArrayList<>(changes);
                tryEject(endpoint, state, EjectionReason.CONSECUTIVE_GATEWAY_ERRORS,
                        state.consecutiveGateway + " gateway errors in a row", config, changes);
            } else if (config.consecutive5xxErrors() > 0
                    && state.consecutive5xx >= config.consecutive5xxErrors()) {
                changes = new ArrayList<>(changes);
                tryEject(endpoint, state, EjectionReason.CONSECUTIVE_5XX,
                        state.consecutive5xx + " 5xx in a row", config, changes);
            }
        }
        return changes;
    }

    private static List<EjectionChange> concat(List<EjectionChange> a, List<EjectionChange> b) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        var both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }

    /**
     * Returns every endpoint whose ejection has ended by {@code now}, each decided at its own end
     * ({@code until}), not at the event that noticed it: the proxies end it there themselves, and
     * the record then does not depend on which event came first after it (one folded by success
     * sampling may come later).
     */
    public List<EjectionChange> expire(long now) {
        if (!anyEjectionEndsBy(now)) {
            return List.of();
        }
        var changes = new ArrayList<EjectionChange>();
        endpoints.forEach((endpoint, state) -> {
            if (state.ejected && state.ejectedUntil <= now) {
                state.ejected = false;
                state.unejectedAt = state.ejectedUntil;
                state.lastSeen = Math.max(state.lastSeen, now);
                dirty.add(endpoint);
                changes.add(new EjectionChange(service, endpoint, false,
                        EjectionReason.EJECTION_EXPIRED, state.ejectionCount, null, state.ejectedUntil,
                        "ejection time over"));
            }
        });
        return changes;
    }

    private boolean anyEjectionEndsBy(long now) {
        for (var s : endpoints.values()) {
            if (s.ejected && s.ejectedUntil <= now) {
                return true;
            }
        }
        return false;
    }

    private List<EjectionChange> maybeEvaluateInterval(OutlierDetectionConfig config) {
        long intervalMillis = config.interval().toMillis();
        long index = Math.floorDiv(clock, intervalMillis);
        if (intervalIndex == Long.MIN_VALUE) {
            intervalIndex = index;
            return List.of();
        }
        if (index <= intervalIndex) {
            return List.of();
        }
        var changes = new ArrayList<EjectionChange>();
        var counts = new HashMap<String, long[]>();
        endpoints.forEach((endpoint, s) -> {
            if (!s.ejected && s.intervalTotal > 0) {
                counts.put(endpoint, new long[] {s.intervalSuccesses, s.intervalTotal});
            }
        });
        var successRate = SuccessRateOutliers.evaluate(counts, config.successRateMinimumHosts(),
                config.successRateRequestVolume(), config.successRateStdevFactor());
        for (var endpoint : successRate.outliers()) {
            var c = counts.get(endpoint);
            tryEject(endpoint, endpoints.get(endpoint), EjectionReason.SUCCESS_RATE,
                    String.format(java.util.Locale.ROOT,
                            "success rate %.2f%% below %.2f%% (mean %.2f%%, stdev %.2f)",
                            100.0 * c[0] / c[1], successRate.threshold(), successRate.mean(),
                            successRate.stdev()), config, changes);
        }
        for (var endpoint : SuccessRateOutliers.failurePercentage(counts,
                config.failurePercentageMinimumHosts(), config.failurePercentageRequestVolume(),
                config.failurePercentageThreshold())) {
            var c = counts.get(endpoint);
            tryEject(endpoint, endpoints.get(endpoint), EjectionReason.FAILURE_PERCENTAGE,
                    String.format(java.util.Locale.ROOT, "failure percentage %.2f%% >= %d%%",
                            100.0 * (c[1] - c[0]) / c[1], config.failurePercentageThreshold()),
                    config, changes);
        }
        closeInterval(index, intervalMillis, config);
        return changes;
    }

    private void closeInterval(long newIndex, long intervalMillis, OutlierDetectionConfig config) {
        long finishedStart = intervalIndex * intervalMillis;
        long crossed = newIndex - intervalIndex;
        var iterator = endpoints.entrySet().iterator();
        while (iterator.hasNext()) {
            var entry = iterator.next();
            var s = entry.getValue();
            s.intervalSuccesses = 0;
            s.intervalTotal = 0;
            // Envoy lowers the multiplier for each interval an endpoint stays healthy.
            if (!s.ejected && s.ejectionCount > 0 && s.unejectedAt <= finishedStart) {
                s.ejectionCount = (int) Math.max(0, s.ejectionCount - crossed);
            }
            if (!s.ejected && s.ejectionCount == 0 && clock - s.lastSeen > config.recentMillis()) {
                iterator.remove();
                dirty.remove(entry.getKey());
                removed.add(entry.getKey());
            } else {
                dirty.add(entry.getKey());
            }
        }
        intervalIndex = newIndex;
    }

    private void tryEject(String endpoint, EndpointState state, EjectionReason reason, String why,
            OutlierDetectionConfig config, List<EjectionChange> changes) {
        if (state.ejected) {
            return;
        }
        int total = endpointCount(config);
        int ejected = ejectedCount();
        boolean underMaxPercent = ejected == 0
                || (ejected + 1) * 100L <= (long) config.maxEjectionPercent() * total;
        boolean healthyEnough = (total - ejected - 1) * 100L >= (long) config.minHealthPercent() * total;
        if (!underMaxPercent || !healthyEnough) {
            return;
        }
        state.ejected = true;
        state.ejectionCount++;
        state.ejectedUntil = clock + config.ejectionTime(state.ejectionCount).toMillis();
        state.consecutive5xx = 0;
        state.consecutiveGateway = 0;
        dirty.add(endpoint);
        changes.add(new EjectionChange(service, endpoint, true, reason, state.ejectionCount,
                state.ejectedUntil, clock, why + "; ejection " + state.ejectionCount + " of "
                        + (ejected + 1) + "/" + total + " endpoints ejected"));
    }

    /** Endpoints seen recently, plus the ejected ones (which callers no longer send to). */
    int endpointCount(OutlierDetectionConfig config) {
        int count = 0;
        for (var s : endpoints.values()) {
            if (s.ejected || clock - s.lastSeen <= config.recentMillis()) {
                count++;
            }
        }
        return count;
    }

    int ejectedCount() {
        int count = 0;
        for (var s : endpoints.values()) {
            if (s.ejected) {
                count++;
            }
        }
        return count;
    }

    /** Endpoints currently ejected, with their end time. */
    public Map<String, Long> ejections() {
        var result = new TreeMap<String, Long>();
        endpoints.forEach((e, s) -> {
            if (s.ejected) {
                result.put(e, s.ejectedUntil);
            }
        });
        return result;
    }

    /** The endpoints changed since the last call, with their encoded state. */
    public Map<String, byte[]> drainDirty() {
        var result = new HashMap<String, byte[]>();
        for (var endpoint : dirty) {
            result.put(endpoint, endpoints.get(endpoint).encode());
        }
        dirty.clear();
        return result;
    }

    /** The endpoints forgotten since the last call. */
    public Set<String> drainRemoved() {
        var result = Set.copyOf(removed);
        removed.clear();
        return result;
    }

    /** The service-wide part of the state (clock and interval), encoded. */
    public byte[] encodeMeta() {
        return java.nio.ByteBuffer.allocate(16).putLong(clock).putLong(intervalIndex).array();
    }

    /** Restores what {@link #encodeMeta()} and {@link #drainDirty()} wrote. */
    public void restore(byte[] meta, Map<String, byte[]> endpointStates) {
        if (meta != null) {
            var in = java.nio.ByteBuffer.wrap(meta);
            clock = in.getLong();
            intervalIndex = in.getLong();
        }
        endpointStates.forEach((e, bytes) -> endpoints.put(e, EndpointState.decode(bytes)));
    }
}
