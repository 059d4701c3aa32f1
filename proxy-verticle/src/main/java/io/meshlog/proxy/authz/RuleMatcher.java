package io.meshlog.proxy.authz;

import io.meshlog.schemas.v1.AuthorizationAction;
import io.meshlog.schemas.v1.AuthorizationRule;
import io.meshlog.schemas.v1.Condition;
import io.meshlog.schemas.v1.Operation;
import io.meshlog.schemas.v1.Source;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether one AuthorizationPolicy rule matches a request, with Istio semantics: every present part
 * of the rule must match ({@code from}: any source; {@code to}: any operation; {@code when}: every
 * condition); inside a source or operation every non-empty field must match, a {@code not…}
 * field must not. A {@code when} key this proxy does not know fails closed: it never matches in
 * an ALLOW rule and always matches in a DENY rule.
 */
final class RuleMatcher {
    private static final Pattern HEADER_KEY = Pattern.compile("request\\.headers\\[(.+)]");

    private RuleMatcher() {}

    static boolean matches(AuthorizationRule rule, RequestAttributes request, AuthorizationAction action) {
        return (rule.getFrom().isEmpty() || rule.getFrom().stream().anyMatch(s -> source(s, request)))
                && (rule.getTo().isEmpty() || rule.getTo().stream().anyMatch(o -> operation(o, request)))
                && rule.getWhen().stream().allMatch(c -> condition(c, request, action));
    }

    private static boolean source(Source source, RequestAttributes request) {
        var principal = request.sourcePrincipal();
        var namespace = request.sourceNamespace();
        return (source.getPrincipals().isEmpty() || StringMatch.anyPrincipal(source.getPrincipals(), principal))
                && !StringMatch.anyPrincipal(source.getNotPrincipals(), principal)
                && (source.getNamespaces().isEmpty() || StringMatch.any(source.getNamespaces(), namespace))
                && !StringMatch.any(source.getNotNamespaces(), namespace);
    }

    private static boolean operation(Operation op, RequestAttributes request) {
        var port = Integer.toString(request.port());
        return include(op.getHosts(), StringMatch.anyHost(op.getHosts(), request.host()))
                && !StringMatch.anyHost(op.getNotHosts(), request.host())
                && include(op.getPorts(), StringMatch.any(op.getPorts(), port))
                && !StringMatch.any(op.getNotPorts(), port)
                && include(op.getMethods(), StringMatch.any(op.getMethods(), request.method()))
                && !StringMatch.any(op.getNotMethods(), request.method())
                && include(op.getPaths(), StringMatch.any(op.getPaths(), request.path()))
                && !StringMatch.any(op.getNotPaths(), request.path());
    }

    private static boolean include(List<String> patterns, boolean matched) {
        return patterns.isEmpty() || matched;
    }

    private static boolean condition(Condition condition, RequestAttributes request, AuthorizationAction action) {
        var values = valuesOf(condition.getKey(), request);
        if (values == null) {
            return action == AuthorizationAction.DENY;
        }
        boolean principal = condition.getKey().equals("source.principal");
        java.util.function.BiPredicate<List<String>, String> match =
                principal ? StringMatch::anyPrincipal : StringMatch::any;
        boolean in = condition.getValues().isEmpty()
                || values.stream().anyMatch(v -> match.test(condition.getValues(), v));
        boolean notIn = values.stream().anyMatch(v -> match.test(condition.getNotValues(), v));
        return in && !notIn;
    }

    /** The request's values for a {@code when} key, or null when the key is unknown. */
    private static List<String> valuesOf(String key, RequestAttributes request) {
        var header = HEADER_KEY.matcher(key);
        if (header.matches()) {
            return request.header(header.group(1));
        }
        return switch (key) {
            case "source.principal" -> List.of(StringMatch.principal(request.sourcePrincipal()));
            case "source.namespace" -> List.of(request.sourceNamespace());
            case "destination.port" -> List.of(Integer.toString(request.port()));
            case "request.method" -> List.of(request.method());
            case "request.path", "request.url_path" -> List.of(request.path());
            case "request.host" -> List.of(request.host());
            default -> null;
        };
    }
}
