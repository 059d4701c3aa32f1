package io.meshlog.proxy.route;

import java.util.Map;

/**
 * One HTTPMatchRequest: every condition given must hold (AND).
 *
 * @param uri matches the path (without query), or null for any
 * @param method matches the method, or null for any
 * @param headers lower-case header name to its matcher
 */
public record RequestMatch(StringMatcher uri, StringMatcher method, Map<String, StringMatcher> headers) {
    public static final RequestMatch ANY = new RequestMatch(null, null, Map.of());

    public RequestMatch {
        headers = Map.copyOf(headers);
    }
}
