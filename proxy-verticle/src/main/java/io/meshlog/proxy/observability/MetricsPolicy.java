package io.meshlog.proxy.observability;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the Telemetry policies in force do to the four request metrics (Istio's
 * {@code metrics[].overrides}): per reporter and metric, whether it is recorded and which labels are
 * removed or set to a literal. Immutable; its hash is computed once, since {@link ProxyMetrics} keys
 * its meter cache by it on every request.
 */
public final class MetricsPolicy {
    /** No Telemetry policy: every metric on, Istio's standard labels. */
    public static final MetricsPolicy DEFAULT = new Builder().build();

    /** One metric's treatment on one side. */
    record Rule(boolean disabled, Map<String, String> upserts, Set<String> removals) {
        static final Rule NONE = new Rule(false, Map.of(), Set.of());

        /** The labels after the overrides: removed ones left out, upserted ones set or added. */
        Tags apply(Tags tags) {
            if (upserts.isEmpty() && removals.isEmpty()) {
                return tags;
            }
            var out = new ArrayList<Tag>();
            for (var tag : tags) {
                if (!removals.contains(tag.getKey()) && !upserts.containsKey(tag.getKey())) {
                    out.add(tag);
                }
            }
            upserts.forEach((key, value) -> out.add(Tag.of(key, value)));
            return Tags.of(out);
        }
    }

    private final Map<Boolean, Map<RequestMetric, Rule>> rules;
    private final int hash;

    private MetricsPolicy(Map<Boolean, Map<RequestMetric, Rule>> rules) {
        this.rules = rules;
        this.hash = rules.hashCode();
    }

    /** The treatment of {@code metric} as reported by the caller's side ({@code client}) or the callee's. */
    Rule rule(boolean client, RequestMetric metric) {
        return rules.get(client).getOrDefault(metric, Rule.NONE);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MetricsPolicy that && hash == that.hash && rules.equals(that.rules);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "MetricsPolicy" + rules;
    }

    /** Applies overrides in order: a later override of the same metric, side and label wins (Istio's order). */
    public static final class Builder {
        private final Map<Boolean, Map<RequestMetric, Mutable>> rules = Map.of(
                true, new EnumMap<>(RequestMetric.class), false, new EnumMap<>(RequestMetric.class));

        private static final class Mutable {
            boolean disabled;
            final Map<String, String> upserts = new HashMap<>();
            final Set<String> removals = new HashSet<>();
        }

        private List<Mutable> select(List<RequestMetric> metrics, boolean client, boolean server) {
            var out = new ArrayList<Mutable>();
            for (var side : List.of(true, false)) {
                if (side ? client : server) {
                    metrics.forEach(m -> out.add(rules.get(side).computeIfAbsent(m, x -> new Mutable())));
                }
            }
            return out;
        }

        /** Turns {@code metrics} on or off on the selected sides. */
        public Builder disabled(List<RequestMetric> metrics, boolean client, boolean server, boolean disabled) {
            select(metrics, client, server).forEach(r -> r.disabled = disabled);
            return this;
        }

        /** Sets (or adds) label {@code name} to {@code value}. */
        public Builder upsert(List<RequestMetric> metrics, boolean client, boolean server, String name, String value) {
            select(metrics, client, server).forEach(r -> {
                r.removals.remove(name);
                r.upserts.put(name, value);
            });
            return this;
        }

        /** Leaves label {@code name} out. */
        public Builder remove(List<RequestMetric> metrics, boolean client, boolean server, String name) {
            select(metrics, client, server).forEach(r -> {
                r.upserts.remove(name);
                r.removals.add(name);
            });
            return this;
        }

        public MetricsPolicy build() {
            var frozen = new HashMap<Boolean, Map<RequestMetric, Rule>>();
            rules.forEach((side, metrics) -> {
                var sideRules = new EnumMap<RequestMetric, Rule>(RequestMetric.class);
                metrics.forEach((metric, r) -> {
                    var rule = new Rule(r.disabled, Map.copyOf(r.upserts), Set.copyOf(r.removals));
                    if (!rule.equals(Rule.NONE)) {
                        sideRules.put(metric, rule);
                    }
                });
                frozen.put(side, Map.copyOf(sideRules));
            });
            return new MetricsPolicy(Map.copyOf(frozen));
        }
    }

}
