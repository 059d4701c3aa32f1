package io.meshlog.pipeline.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges of one name, one per label combination, with at most {@code maxSeries} combinations:
 * past that, new combinations are dropped and counted, so a flood of services or edges cannot
 * blow up Prometheus.
 */
final class GaugeFamily {
    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final String baseUnit;
    private final List<String> tagKeys;
    private final int maxSeries;
    private final Counter dropped;
    private final Map<List<String>, AtomicLong> values = new ConcurrentHashMap<>();

    GaugeFamily(MeterRegistry registry, String name, String description, String baseUnit,
            List<String> tagKeys, int maxSeries, Counter dropped) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.baseUnit = baseUnit;
        this.tagKeys = List.copyOf(tagKeys);
        this.maxSeries = maxSeries;
        this.dropped = dropped;
    }

    /** Sets the gauge of these label values (in {@code tagKeys} order). */
    void set(double value, String... tagValues) {
        var key = List.of(tagValues);
        var holder = values.get(key);
        if (holder == null) {
            if (values.size() >= maxSeries) {
                dropped.increment();
                return;
            }
            holder = values.computeIfAbsent(key, this::register);
        }
        holder.set(Double.doubleToLongBits(value));
    }

    private AtomicLong register(List<String> tagValues) {
        var holder = new AtomicLong(Double.doubleToLongBits(0));
        var tags = Tags.empty();
        for (int i = 0; i < tagKeys.size(); i++) {
            tags = tags.and(tagKeys.get(i), tagValues.get(i));
        }
        Gauge.builder(name, holder, h -> Double.longBitsToDouble(h.get()))
                .description(description).baseUnit(baseUnit).tags(tags).register(registry);
        return holder;
    }
}
