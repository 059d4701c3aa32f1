package io.meshlog.policy.validate;

import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.AuthorizationRule;
import java.util.List;
import java.util.regex.Pattern;

/** The rules of AuthorizationPolicies: selectors, principals, methods, paths, ports, conditions. */
final class AuthzRules {
    private static final Pattern PRINCIPAL = Pattern.compile("\\*|\\*?[^*\\s]+\\*?");

    private AuthzRules() {}

    static void authorizationPolicy(AuthorizationPolicySpec ap, Checks checks) {
        SpecValidator.selector(ap.getSelector(), checks);
        var rules = ap.getRules() == null ? List.<AuthorizationRule>of() : ap.getRules();
        for (int r = 0; r < rules.size(); r++) {
            var rule = rules.get(r);
            var path = "spec.rules[" + r + "]";
            for (int f = 0; f < rule.getFrom().size(); f++) {
                var source = rule.getFrom().get(f);
                var sourcePath = path + ".from[" + f + "].source";
                principals(source.getPrincipals(), sourcePath + ".principals", checks);
                principals(source.getNotPrincipals(), sourcePath + ".notPrincipals", checks);
            }
            for (int t = 0; t < rule.getTo().size(); t++) {
                var op = rule.getTo().get(t);
                var opPath = path + ".to[" + t + "].operation";
                methods(op.getMethods(), opPath + ".methods", checks);
                methods(op.getNotMethods(), opPath + ".notMethods", checks);
                paths(op.getPaths(), opPath + ".paths", checks);
                paths(op.getNotPaths(), opPath + ".notPaths", checks);
                op.getPorts().forEach(port -> SpecValidator.port(port, opPath + ".ports", checks));
            }
            for (int w = 0; w < rule.getWhen().size(); w++) {
                var condition = rule.getWhen().get(w);
                checks.require(!condition.getKey().isBlank(), path + ".when[" + w + "].key", "must not be empty");
                checks.require(!condition.getValues().isEmpty() || !condition.getNotValues().isEmpty(),
                        path + ".when[" + w + "]", "needs values or notValues");
            }
        }
    }

    private static void principals(List<String> principals, String path, Checks checks) {
        for (int i = 0; i < principals.size(); i++) {
            checks.require(PRINCIPAL.matcher(principals.get(i)).matches(), path + "[" + i + "]",
                    "must be a principal such as cluster.local/ns/shop/sa/cart (a '*' only at the start or end), "
                            + "but was \"" + principals.get(i) + "\"");
        }
    }

    private static void methods(List<String> methods, String path, Checks checks) {
        for (int i = 0; i < methods.size(); i++) {
            checks.require(SpecValidator.METHODS.contains(methods.get(i)) || "*".equals(methods.get(i)), path + "[" + i + "]",
                    "must be an HTTP method in capitals, but was \"" + methods.get(i) + "\"");
        }
    }

    private static void paths(List<String> paths, String path, Checks checks) {
        for (int i = 0; i < paths.size(); i++) {
            var value = paths.get(i);
            checks.require(value.startsWith("/") || value.startsWith("*"), path + "[" + i + "]",
                    "must start with '/' or '*', but was \"" + value + "\"");
        }
    }
}
