package io.meshlog.proxy.discovery;

import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import io.meshlog.policy.model.SidecarScope;
import java.util.ArrayList;

/**
 * The Hazelcast predicate that selects the registrations of the services a {@link SidecarScope}
 * allows, evaluated by the members so that a scoped proxy is sent only its services' events. A
 * registration is keyed {@code service/address} and its value starts with {@code namespace=...&}
 * when the registering proxy knows its namespace ({@link EndpointCodec}).
 */
final class ScopePredicates {
    private ScopePredicates() {}

    /** The predicate of {@code scope}, or null for every registration (unscoped). */
    @SuppressWarnings({"unchecked", "rawtypes"}) // Hazelcast's or/and take raw Predicate varargs
    static Predicate<String, String> of(SidecarScope scope) {
        if (scope.unscoped()) {
            return null;
        }
        var any = new ArrayList<Predicate<String, String>>();
        for (var entry : scope.entries()) {
            int slash = entry.indexOf('/');
            var namespace = entry.substring(0, slash);
            var host = entry.substring(slash + 1);
            Predicate<String, String> byHost = host.equals("*") ? null
                    : Predicates.like("__key", (host.startsWith("*.") ? "%" + escape(host.substring(1)) : escape(host)) + "/%");
            Predicate<String, String> byNamespace = namespace.equals("*") ? null
                    : Predicates.like("this", EndpointCodec.NAMESPACE + "=" + escape(namespace) + "&%");
            any.add(byHost == null ? byNamespace : byNamespace == null ? byHost : Predicates.and(byHost, byNamespace));
        }
        Predicate<String, String>[] all = any.toArray(new Predicate[0]);
        // an empty scope (no entries) selects nothing: a key never ends with "/" and "/%" together
        return all.length == 0 ? Predicates.like("__key", "/") : Predicates.or(all);
    }

    /** Escapes LIKE's wildcards, {@code %} and {@code _}, which are not wildcards in a service name. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
