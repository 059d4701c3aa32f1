package io.meshlog.proxy.http;

import io.meshlog.schemas.v1.ResponseFlag;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of Envoy response flags as a bit mask (no allocation per request), with cached renderings
 * for metrics labels ({@code "-"} for none, as Istio) and lists for telemetry.
 */
public final class ResponseFlags {
    private static final ResponseFlag[] FLAGS = ResponseFlag.values();
    private static final String[] LABELS = new String[1 << FLAGS.length];
    private static final Object[] LISTS = new Object[1 << FLAGS.length];

    private ResponseFlags() {}

    public static int of(ResponseFlag flag) {
        return 1 << flag.ordinal();
    }

    public static boolean has(int flags, ResponseFlag flag) {
        return (flags & of(flag)) != 0;
    }

    /** Istio's response_flags label: comma-separated, {@code "-"} when none. */
    public static String label(int flags) {
        var label = LABELS[flags];
        if (label == null) {
            var parts = new ArrayList<String>();
            for (var flag : list(flags)) {
                parts.add(flag.name());
            }
            label = parts.isEmpty() ? "-" : String.join(",", parts);
            LABELS[flags] = label;
        }
        return label;
    }

    /** The flags as the telemetry schema wants them. */
    @SuppressWarnings("unchecked")
    public static List<ResponseFlag> list(int flags) {
        var list = (List<ResponseFlag>) LISTS[flags];
        if (list == null) {
            var built = new ArrayList<ResponseFlag>();
            for (var flag : FLAGS) {
                if (has(flags, flag)) {
                    built.add(flag);
                }
            }
            list = List.copyOf(built);
            LISTS[flags] = list;
        }
        return list;
    }
}
