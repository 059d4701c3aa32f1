package io.meshlog.proxy.route;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads one parameter of a query string without parsing the rest (routes ask for few). */
public final class QueryParams {
    private QueryParams() {}

    /**
     * The first value of {@code name} in {@code query} (without '?'), decoded; "" for a parameter
     * without '='; null when absent or when there is no query.
     */
    public static String first(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            int eq = query.indexOf('=', start);
            int nameEnd = eq >= 0 && eq < end ? eq : end;
            if (decode(query.substring(start, nameEnd)).equals(name)) {
                return nameEnd == end ? "" : decode(query.substring(nameEnd + 1, end));
            }
            start = end + 1;
        }
        return null;
    }

    private static String decode(String value) {
        if (value.indexOf('%') < 0 && value.indexOf('+') < 0) {
            return value;
        }
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value; // a malformed escape is compared as sent
        }
    }
}
