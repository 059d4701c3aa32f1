package io.meshlog.proxy.snapshot;

import io.meshlog.proxy.route.HeaderOps;
import io.meshlog.proxy.route.Redirect;
import io.meshlog.proxy.route.Rewrite;
import io.meshlog.proxy.route.RouteHeaders;
import io.meshlog.schemas.v1.HeaderOperations;
import io.meshlog.schemas.v1.Headers;
import io.meshlog.schemas.v1.HttpRoute;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles what a route does besides choosing destinations: header operations, rewrite, redirect.
 * Re-checks what the proxy relies on (the validator said it first), so a policy that reached the
 * topic some other way is rejected, never half applied.
 */
final class RouteActionCompiler {
    private RouteActionCompiler() {}

    static RouteHeaders headers(Headers headers) {
        if (headers == null) {
            return RouteHeaders.NONE;
        }
        return new RouteHeaders(ops(headers.getRequest()), ops(headers.getResponse()));
    }

    private static HeaderOps ops(HeaderOperations ops) {
        return ops == null ? HeaderOps.NONE : new HeaderOps(ops.getSet(), ops.getAdd(), ops.getRemove());
    }

    static Rewrite rewrite(HttpRoute route, String path) {
        var rewrite = route.getRewrite();
        if (rewrite == null) {
            return null;
        }
        if (rewrite.getUri() != null && rewrite.getUriRegexRewrite() != null) {
            throw new InvalidPolicyException(path + ".uriRegexRewrite", "cannot be used together with rewrite.uri");
        }
        var regex = rewrite.getUriRegexRewrite();
        if (regex == null) {
            return new Rewrite(rewrite.getUri(), null, null, rewrite.getAuthority());
        }
        try {
            return new Rewrite(null, Pattern.compile(regex.getMatch()), Rewrite.javaReplacement(regex.getRewrite()),
                    rewrite.getAuthority());
        } catch (PatternSyntaxException e) {
            throw new InvalidPolicyException(path + ".uriRegexRewrite.match", "is not a valid regular expression: " + e.getDescription());
        }
    }

    static Redirect redirect(HttpRoute route, String path) {
        var redirect = route.getRedirect();
        if (redirect == null) {
            return null;
        }
        if (!route.getRoute().isEmpty()) {
            throw new InvalidPolicyException(path + ".redirect", "cannot be used together with route");
        }
        int code = redirect.getRedirectCode();
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
            throw new InvalidPolicyException(path + ".redirect.redirectCode", "must be one of 301, 302, 303, 307, 308, but was " + code);
        }
        return new Redirect(redirect.getUri(), redirect.getAuthority(), redirect.getScheme(),
                redirect.getPort() == null ? 0 : redirect.getPort(), code);
    }
}
