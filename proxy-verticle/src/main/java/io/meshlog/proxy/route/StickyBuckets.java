package io.meshlog.proxy.route;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
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

    /** The bucket of one value: a 64-bit FNV-1a hash, finalised by MurmurHash3's mixer, mod 100. */
    static int bucket(String value) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return (int) Long.remainderUnsigned(hash, 100);
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
