package io.meshlog.proxy.http;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Copies headers between hops without the hop-by-hop ones (RFC 9110 §7.6.1) and without Host. */
public final class HopByHopHeaders {
    private static final Set<String> SKIPPED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "http2-settings");

    private HopByHopHeaders() {}

    /** Copies {@code from} into {@code to}, skipping hop-by-hop headers. */
    public static void copy(MultiMap from, MultiMap to) {
        for (Map.Entry<String, String> header : from) {
            var name = header.getKey();
            if (!skipped(name)) {
                to.add(name, header.getValue());
            }
        }
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
