package io.meshlog.console.model;

import io.meshlog.schemas.v1.ResponseFlag;
import java.util.Arrays;
import java.util.Map;

/**
 * What the live tail keeps: each set field must match. The path is the one the proxy reported
 * (without query string, cut to 256 characters); requests from proxies that report none never
 * match a path filter.
 *
 * @param status an exact status ({@code 503}) or a class ({@code 5xx}); null: any
 * @param flag a response flag such as {@code URX}; null: any
 * @param routePrefix the route name starts with this; null: any
 * @param pathPrefix the request path starts with this (and so with {@code /}); null: any
 * @param minMillis at least this slow; 0: any
 */
public record TailFilter(String status, ResponseFlag flag, String routePrefix, String pathPrefix, double minMillis) {
    public static final TailFilter ALL = new TailFilter(null, null, null, null, 0);

    public TailFilter {
        if (status != null && !status.matches("[1-5](\\d\\d|xx)|0")) {
            throw new IllegalArgumentException("status must be a status such as 503 or a class such as 5xx, but was '"
                    + status + "'");
        }
        if (pathPrefix != null && !pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("path must be a path prefix starting with '/', but was '" + pathPrefix + "'");
        }
        if (minMillis < 0) {
            throw new IllegalArgumentException("minLatencyMs must not be negative, but was " + minMillis);
        }
    }

    /**
     * From query parameters {@code status}, {@code flag}, {@code route}, {@code path}, {@code minLatencyMs}.
     *
     * @throws IllegalArgumentException naming the parameter that cannot work
     */
    public static TailFilter fromQuery(Map<String, String> query) {
        var flagName = blankToNull(query.get("flag"));
        ResponseFlag flag = null;
        if (flagName != null) {
            try {
                flag = ResponseFlag.valueOf(flagName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("flag must be one of " + Arrays.toString(ResponseFlag.values())
                        + ", but was '" + flagName + "'");
            }
        }
        var min = blankToNull(query.get("minLatencyMs"));
        double minMillis;
        try {
            minMillis = min == null ? 0 : Double.parseDouble(min);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("minLatencyMs must be a number of milliseconds, but was '" + min + "'");
        }
        return new TailFilter(blankToNull(query.get("status")), flag, blankToNull(query.get("route")),
                blankToNull(query.get("path")), minMillis);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    boolean matches(TailEntry e) {
        if (status != null) {
            var code = Integer.toString(e.status());
            boolean ok = status.endsWith("xx") ? code.length() == 3 && code.charAt(0) == status.charAt(0)
                    : code.equals(status);
            if (!ok) {
                return false;
            }
        }
        if (flag != null && !e.flags().contains(flag)) {
            return false;
        }
        if (routePrefix != null && (e.route() == null || !e.route().startsWith(routePrefix))) {
            return false;
        }
        if (pathPrefix != null && (e.path() == null || !e.path().startsWith(pathPrefix))) {
            return false;
        }
        return e.durationMillis() >= minMillis;
    }
}
