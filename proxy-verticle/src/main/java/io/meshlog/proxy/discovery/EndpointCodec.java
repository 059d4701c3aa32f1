package io.meshlog.proxy.discovery;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.StringJoiner;

/**
 * The text form of an {@link Endpoint} in the registry map: {@code name=value} pairs joined by
 * {@code &}, URL-encoded, labels as {@code label.<name>}. Plain text so that any Hazelcast client
 * (or Management Center) can read it, with no classes to share.
 */
final class EndpointCodec {
    private static final String LABEL = "label.";
    /** The registering workload's namespace, first in the value so that a LIKE prefix selects a namespace. */
    static final String NAMESPACE = "namespace";

    private EndpointCodec() {}

    /** The registry key: one registration per service and address. */
    static String key(Endpoint endpoint) {
        return endpoint.service() + "/" + endpoint.address();
    }

    static String encode(Endpoint endpoint) {
        return encode(endpoint, "");
    }

    /** The registration of {@code endpoint}, a workload of {@code namespace} ("" when not known). */
    static String encode(Endpoint endpoint, String namespace) {
        var out = new StringJoiner("&");
        if (!namespace.isEmpty()) {
            pair(out, NAMESPACE, namespace);
        }
        pair(out, "service", endpoint.service());
        pair(out, "host", endpoint.host());
        pair(out, "port", Integer.toString(endpoint.port()));
        pair(out, "workload", endpoint.workload());
        pair(out, "spiffeId", endpoint.spiffeId());
        pair(out, "servicePort", Integer.toString(endpoint.servicePort()));
        endpoint.labels().forEach((name, value) -> pair(out, LABEL + name, value));
        return out.toString();
    }

    private static void pair(StringJoiner out, String name, String value) {
        out.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /** Parses a registration; throws IllegalArgumentException naming what is wrong. */
    static Endpoint decode(String text) {
        var fields = new HashMap<String, String>();
        var labels = new HashMap<String, String>();
        for (var pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("registration field '" + pair + "' has no '='");
            }
            var name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            var value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.startsWith(LABEL)) {
                labels.put(name.substring(LABEL.length()), value);
            } else {
                fields.put(name, value);
            }
        }
        var port = fields.get("port");
        if (fields.get("service") == null || fields.get("host") == null || port == null) {
            throw new IllegalArgumentException("registration lacks service, host or port: " + fields.keySet());
        }
        try {
            // registrations written before servicePort existed serve their own port
            var servicePort = fields.get("servicePort");
            return new Endpoint(fields.get("service"), fields.get("host"), Integer.parseInt(port),
                    labels, fields.get("workload"), fields.get("spiffeId"),
                    servicePort == null ? 0 : Integer.parseInt(servicePort));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("registration port '" + port + "' or servicePort is not a number", e);
        }
    }
}
