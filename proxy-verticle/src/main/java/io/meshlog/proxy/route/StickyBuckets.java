package io.meshlog.proxy.route;

import io.meshlog.proxy.resilience.HashRing;
import io.vertx.core.MultiMap;
import java.util.OptionalInt;

/**
 * Sticky cohorts for a weighted route (the meshlog extension {@code stickyWeights}): the weighted
 * choice takes {@code bucket(hash(value)) ∈ [0, 100)} of one request header or cookie instead of a
 * random number. Destinations own consecutive bucket ranges in their order, so with the canary
 * last a growing canary weight only adds buckets to its range: whoever saw the canary keeps
 * seeing it, and the share of users stays the weight (the hash spreads values evenly). A request
 * without the value is placed at random, like any request of an unsticky route.
 *
 * @param header the request header whose value is hashed (lower case), or null
 * @param cookie the request cookie whose value is hashed, or null
 */
public record StickyBuckets(String header, String cookie) {
    public StickyBuckets {
        if ((header == null) == (cookie == null)) {
            throw new IllegalArgumentException("sticky weights need exactly one of header or cookie");
        }
    }

    /** The bucket of a request, or empty when it carries no value to hash. */
    public OptionalInt bucket(MultiMap headers) {
        var value = header != null ? headers.get(header) : cookie(headers.getAll("cookie"), cookie);
        return value == null || value.isEmpty() ? OptionalInt.empty() : OptionalInt.of(bucket(value));
    }

    /** The bucket of one value: the proxies' common key hash ({@link HashRing#hash}) mod 100. */
    static int bucket(String value) {
        return (int) Long.remainderUnsigned(HashRing.hash(value), 100);
    }

    private static String cookie(Iterable<String> cookieHeaders, String name) {
        for (var line : cookieHeaders) {
            for (var pair : line.split(";")) {
                var eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return pair.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }
}
