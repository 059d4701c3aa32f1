package io.meshlog.proxy.route;

import java.util.Map;

/**
 * One HTTPMatchRequest: every condition given must hold (AND).
 *
 * @param uri matches the path (without query), or null for any
 * @param method matches the method, or null for any
 * @param headers lower-case header name to its matcher
 * @param queryParams query parameter name to its matcher (the first value counts)
 * @param authority matches Host / :authority as sent (with its port, if any), or null for any
 * @param port the port the caller addressed (80 when none), or 0 for any
 * @param withoutHeaders lower-case header name to a matcher that must not match (Istio's inverse)
 * @param sourceSelected false when the match's sourceLabels or sourceNamespace do not select this
 *     sidecar's workload: the match never holds
 */
public record RequestMatch(StringMatcher uri, StringMatcher method, Map<String, StringMatcher> headers,
        Map<String, StringMatcher> queryParams, StringMatcher authority, int port,
        Map<String, StringMatcher> withoutHeaders, boolean sourceSelected) {
    public static final RequestMatch ANY = new RequestMatch(null, null, Map.of());

    public RequestMatch {
        headers = Map.copyOf(headers);
        queryParams = Map.copyOf(queryParams);
        withoutHeaders = Map.copyOf(withoutHeaders);
    }

    /** A match on path, method and headers only. */
    public RequestMatch(StringMatcher uri, StringMatcher method, Map<String, StringMatcher> headers) {
        this(uri, method, headers, Map.of(), null, 0, Map.of(), true);
    }
}
