package io.meshlog.proxy.outbound;

import io.meshlog.proxy.resilience.EndpointPicker;
import io.meshlog.proxy.resilience.HashPolicy;
import io.meshlog.proxy.resilience.HashRing;
import io.meshlog.proxy.route.HeaderOps;
import io.meshlog.proxy.route.QueryParams;
import io.vertx.core.http.HttpServerRequest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The key of a request under a consistent hash (Istio's httpHeaderName, httpCookie, useSourceIp,
 * httpQueryParameterName) and, for a cookie with a ttl that the request lacks, the cookie to set:
 * the proxy generates a random value, hashes the request on it and sends it back (Envoy derives
 * the value from the client's address instead; either way the client is pinned from then on).
 */
final class RequestHash {
    /** The hash and, when a cookie was generated, the response header operation that sets it. */
    record Result(long hash, HeaderOps setCookie) {
        static final Result NONE = new Result(EndpointPicker.NO_HASH, null);
    }

    private RequestHash() {}

    static Result of(HashPolicy policy, HttpServerRequest request, String query) {
        if (policy == null) {
            return Result.NONE;
        }
        String key = switch (policy.key()) {
            case HEADER -> request.getHeader(policy.name());
            case QUERY_PARAMETER -> QueryParams.first(query, policy.name());
            case SOURCE_IP -> request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
            case COOKIE -> {
                var cookie = request.getCookie(policy.name());
                yield cookie == null ? null : cookie.getValue();
            }
        };
        if (key != null) {
            return new Result(HashRing.hash(key), null);
        }
        if (policy.key() == HashPolicy.Key.COOKIE && policy.cookieTtl() != null) {
            var value = generated();
            return new Result(HashRing.hash(value), HeaderOps.NONE.plusAdd("set-cookie", setCookie(policy, value)));
        }
        return Result.NONE; // no key: the ring balances the request randomly, as Envoy does
    }

    private static String generated() {
        // a pin, not a secret: a client may send any value it likes anyway
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    static String setCookie(HashPolicy policy, String value) {
        var cookie = new StringBuilder(policy.name()).append('=').append(value);
        if (policy.cookiePath() != null) {
            cookie.append("; Path=").append(policy.cookiePath());
        }
        if (!policy.cookieTtl().isZero()) {
            cookie.append("; Max-Age=").append(policy.cookieTtl().toSeconds());
        }
        return cookie.append("; HttpOnly").toString();
    }
}
