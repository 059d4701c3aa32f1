package io.meshlog.proxy.http;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Copies headers between hops without the hop-by-hop ones (RFC 9110 §7.6.1): the fixed set, every
 * field the message's {@code Connection} header nominates, and Host (the next hop gets its own).
 * A nominated {@code content-length} stays: the proxy frames every message it sends itself, so the
 * length of what it forwards is its own, never the sender's hop-by-hop choice.
 */
public final class HopByHopHeaders {
    private static final Set<String> SKIPPED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "http2-settings");

    private HopByHopHeaders() {}

    /** Copies {@code from} into {@code to}, skipping hop-by-hop headers. */
    public static void copy(MultiMap from, MultiMap to) {
        var nominated = from.contains("connection") ? nominated(from.getAll("connection")) : Set.<String>of();
        for (Map.Entry<String, String> header : from) {
            var name = header.getKey();
            if (!skipped(name) && (nominated.isEmpty() || !nominated.contains(name.toLowerCase(Locale.ROOT)))) {
                to.add(name, header.getValue());
            }
        }
    }

    /** The field names {@code Connection} values nominate, lower case, without {@code content-length}. */
    static Set<String> nominated(List<String> connectionValues) {
        var names = new HashSet<String>();
        for (var value : connectionValues) {
            for (var token : value.split(",")) {
                var name = token.strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.equals("content-length")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static boolean skipped(String name) {
        return name.isEmpty() || name.charAt(0) == ':' || SKIPPED.contains(name.length() < 20 ? lower(name) : name);
    }

    private static String lower(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (Character.isUpperCase(name.charAt(i))) {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }
}
