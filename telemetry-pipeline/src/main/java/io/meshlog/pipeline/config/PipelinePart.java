package io.meshlog.pipeline.config;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One decision topology of the pipeline. An instance runs all of them by default; {@code
 * topologies} picks some, so a large mesh can give each its own application id and instances
 * (each group reads the whole telemetry topic) and the capacity bench can measure each alone.
 */
public enum PipelinePart {
    OUTLIER, RETRY_BUDGET, BURN_RATE, EDGES, CANARY;

    /** The name in {@code topologies}: {@code outlier}, {@code retry-budget}, {@code burn-rate}, {@code edges}, {@code canary}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A comma-separated list of names, or {@code all}; an unknown name is refused, never ignored. */
    public static Set<PipelinePart> parse(String value) {
        if (value == null || value.isBlank() || value.strip().equals("all")) {
            return EnumSet.allOf(PipelinePart.class);
        }
        var parts = EnumSet.noneOf(PipelinePart.class);
        for (var name : value.split(",")) {
            var part = Arrays.stream(values()).filter(p -> p.configName().equals(name.strip())).findFirst()
                    .orElseThrow(() -> new ConfigException("topologies", "must be 'all' or names from "
                            + Arrays.stream(values()).map(PipelinePart::configName).collect(Collectors.joining(", "))
                            + ", but had '" + name.strip() + "'"));
            parts.add(part);
        }
        return parts;
    }
}
