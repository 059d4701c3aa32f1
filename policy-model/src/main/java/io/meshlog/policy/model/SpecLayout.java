package io.meshlog.policy.model;

import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Where meshlog's Avro spec records differ in shape from Istio's YAML, so that documents keep
 * Istio's field names: wrapped values ({@code loadBalancer.simple}, {@code mtls.mode},
 * {@code percentage.value}, {@code from[].source}, {@code to[].operation}), grouped fields
 * ({@code connectionPool.tcp.*}, {@code connectionPool.http.*}, {@code loadBalancer.consistentHash},
 * {@code ringHash.minimumRingSize}), comma lists
 * ({@code retryOn: "5xx,connect-failure"}) and durations (every {@code long} but counts).
 */
public final class SpecLayout {
    private static final Map<String, String> WRAPPERS = Map.of(
            "TrafficPolicy.loadBalancer", "simple",
            "PeerAuthenticationSpec.mtls", "mode",
            "PeerAuthenticationSpec.portLevelMtls", "mode",
            "FaultDelay.percentage", "value",
            "FaultAbort.percentage", "value",
            "AuthorizationRule.from", "source",
            "AuthorizationRule.to", "operation",
            "Destination.port", "number",
            "HttpRoute.mirrorPercentage", "value");
    private static final Map<String, Map<String, String>> GROUPS = Map.of(
            // Istio's loadBalancer is a oneof of simple and consistentHash: a group that is also a field
            "TrafficPolicy", Map.of("consistentHash", "loadBalancer"),
            "ConsistentHashLB", Map.of("minimumRingSize", "ringHash"),
            "ConnectionPoolSettings", Map.of(
                    "maxConnections", "tcp",
                    "connectTimeout", "tcp",
                    "http1MaxPendingRequests", "http",
                    "http2MaxRequests", "http",
                    "maxRequestsPerConnection", "http",
                    "idleTimeout", "http"));
    private static final Set<String> COMMA_LISTS = Set.of("HttpRetry.retryOn");
    private static final Set<String> NOT_DURATIONS = Set.of("GlobalRateLimit.requestsPerUnit");

    private SpecLayout() {}

    /** The single key wrapping this field's value (or each item/value), or null. */
    public static String wrapper(Schema record, Schema.Field field) {
        return WRAPPERS.get(record.getName() + "." + field.name());
    }

    /** The sub-mapping this field lives in, or null when it sits directly in the record. */
    public static String group(Schema record, Schema.Field field) {
        var groups = GROUPS.get(record.getName());
        return groups == null ? null : groups.get(field.name());
    }

    /** Whether this array field is written as one comma-separated string. */
    public static boolean commaList(Schema record, Schema.Field field) {
        return COMMA_LISTS.contains(record.getName() + "." + field.name());
    }

    /** Whether this field holds a duration in milliseconds (written "250ms", "10s"). */
    public static boolean duration(Schema record, Schema.Field field) {
        return nonNull(field.schema()).getType() == Schema.Type.LONG
                && !NOT_DURATIONS.contains(record.getName() + "." + field.name());
    }

    /** {@code schema} without its null branch, if it is a nullable union. */
    public static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL)
                .findFirst().orElse(schema);
    }

    /** Whether {@code schema} accepts null. */
    public static boolean nullable(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }
}
